//! Prints the JSON Schema of every type of the npm package's API, for `cargo xtask wasm` to turn
//! into `index.d.ts`.

fn main() {
    let schema = applivery_wasm::shapes::package_schema();
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("a JSON value serializes")
    );
}
