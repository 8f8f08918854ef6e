//! `neutralizeCsvCell()` and `restoreCsvCell()`: the CLI's CSV formula-injection rule
//! ([`applivery_api::csv_cell`]), so that the admin page writes and reads CSV files as the CLI
//! does.

use wasm_bindgen::prelude::wasm_bindgen;

/// The cell as written to a CSV file: one more leading `'` when it starts with `=`, `+`, `-`,
/// `@`, a tab, a carriage return or `'`; else unchanged (quoting is the writer's job).
#[wasm_bindgen(js_name = neutralizeCsvCell)]
pub fn neutralize_csv_cell(cell: &str) -> String {
    applivery_api::csv_cell::neutralize(cell).into_owned()
}

/// The cell as read from a CSV file: one leading `'` removed when the next character is one of
/// those; the inverse of `neutralizeCsvCell`.
#[wasm_bindgen(js_name = restoreCsvCell)]
pub fn restore_csv_cell(cell: &str) -> String {
    applivery_api::csv_cell::restore(cell).to_owned()
}
