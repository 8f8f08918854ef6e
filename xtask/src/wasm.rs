//! `cargo xtask wasm`: builds the `applivery-oem` npm package into web/pkg/.
//!
//! crates/applivery-wasm (release wasm) -> wasm-bindgen `--target web` glue -> esbuild bundles
//! the hand-written wrapper of web/applivery-oem/ with the glue into one file per entry (index.js
//! and index.cjs with the wasm embedded, workerd.js importing the `.wasm`; bulk-engine.js, the
//! same for crates/applivery-bulk-wasm, which index.js loads when a bulk run starts; mock.js,
//! the same for crates/applivery-mock-wasm: `applivery-oem/mock`) -> `index.d.ts` and
//! `index.d.cts` generated from the Rust types' JSON Schema -> size report, failing above the
//! budget.

use crate::{project_root, run_step, setup};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The size budget CI enforces on what a browser downloads: index.js (the wrapper, the glue and
/// the wasm embedded as base64, in one file), gzip -9. See ARCHITECTURE.md ("The npm package")
/// for what costs what. The bulk runs' scheduler is not in it: it is a module of its own
/// (bulk-engine.js), loaded when a bulk run starts.
pub const BUDGET_GZIP_BYTES: u64 = 40_000;

/// Where the built package goes (gitignored; `npm pack web/pkg` makes the tarball).
pub const PKG_DIR: &str = "web/pkg";
/// Hand-written package files: the wrapper and its wasm sources (bundled), README and manifest
/// template (copied), the class declarations (joined to the generated types).
const TEMPLATE_DIR: &str = "web/applivery-oem";
/// Base name of the wasm-bindgen output: `applivery_oem.js` and `applivery_oem_bg.wasm`.
const OUT_NAME: &str = "applivery_oem";
/// The crate behind `applivery-oem/mock` and `npx applivery-oem mock`, and its glue's base name.
const MOCK_CRATE: &str = "applivery-mock-wasm";
const MOCK_OUT_NAME: &str = "applivery_mock";
/// The crate behind bulk runs (bulk-engine.js), and its glue's base name.
const BULK_CRATE: &str = "applivery-bulk-wasm";
const BULK_OUT_NAME: &str = "applivery_bulk";
const PROFILE: &str = "wasm-release";
const TARGET: &str = "wasm32-unknown-unknown";

/// `cargo xtask wasm`: builds the package, prints its sizes, fails above the budget.
pub fn run(enforce_budget: bool) -> Result<(), String> {
    let total_gzip = build()?;
    if enforce_budget {
        check_budget(total_gzip)?;
    }
    Ok(())
}

/// Fails when the gzip total is above [`BUDGET_GZIP_BYTES`].
pub fn check_budget(total_gzip: u64) -> Result<(), String> {
    if total_gzip > BUDGET_GZIP_BYTES {
        return Err(format!(
            "the package is over its size budget: {total_gzip} bytes gzip > {BUDGET_GZIP_BYTES}"
        ));
    }
    Ok(())
}

/// Builds the package into web/pkg/ and prints its sizes; returns the gzip total.
pub fn build() -> Result<u64, String> {
    let root = project_root();
    setup::wasm_target()?;
    setup::wasm_bindgen_cli()?;
    setup::web_node_modules()?;
    // The crates in one cargo run: the client (the default entries), the bulk engine (loaded by
    // them when a bulk run starts) and the mock (`./mock`).
    run_step(
        "cargo",
        &[
            "build",
            "-p",
            "applivery-wasm",
            "-p",
            BULK_CRATE,
            "-p",
            MOCK_CRATE,
            "--lib",
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ],
        &root,
    )?;
    let pkg = root.join(PKG_DIR);
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("cannot clear {PKG_DIR}: {e}"))?;
    }
    bindgen(&root, "applivery_wasm", OUT_NAME)?;
    bindgen(&root, "applivery_bulk_wasm", BULK_OUT_NAME)?;
    bindgen(&root, "applivery_mock_wasm", MOCK_OUT_NAME)?;
    copy_template(&root, &pkg)?;
    run_step(
        "node",
        &["web/tools/bundle.mjs", TEMPLATE_DIR, PKG_DIR],
        &root,
    )?;
    generate_dts(&root, &pkg)?;
    // The same declarations describe the CommonJS entry: TypeScript reads `.d.cts` as CommonJS,
    // so `require` and `import` each get types of the module format they load.
    for (esm, cjs) in [("index.d.ts", "index.d.cts"), ("mock.d.ts", "mock.d.cts")] {
        std::fs::copy(pkg.join(esm), pkg.join(cjs))
            .map_err(|e| format!("cannot write {PKG_DIR}/{cjs}: {e}"))?;
    }
    report_sizes(&root, &pkg)
}

/// wasm-bindgen's glue for the crate's release wasm into web/pkg/, then binaryen's optimizer.
fn bindgen(root: &Path, wasm_name: &str, out_name: &str) -> Result<(), String> {
    let wasm = target_dir(root)
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{wasm_name}.wasm"));
    run_step(
        "wasm-bindgen",
        &[
            path_str(&wasm)?,
            "--target",
            "web",
            "--out-dir",
            PKG_DIR,
            "--out-name",
            out_name,
            "--no-typescript",
            // Function names are only for debugging; they are a third of the file.
            "--remove-name-section",
            "--remove-producers-section",
        ],
        root,
    )?;
    // binaryen's optimizer (the npm package pinned in web/package-lock.json; no download of its
    // own): -Os took 1.3 KB gzip off the client's wasm here, `--converge` (passes repeated until
    // nothing changes) 64 B more, and the engines' features are detected from the module
    // (wasm-bindgen keeps its target_features section). -Oz and `opt-level = "s"` were larger.
    let wasm_out = format!("{PKG_DIR}/{out_name}_bg.wasm");
    run_step(
        "web/node_modules/.bin/wasm-opt",
        &["-Os", "--converge", &wasm_out, "-o", &wasm_out],
        root,
    )
}

/// Copies the README, the mock's declarations and the `applivery-oem` command, and writes
/// package.json with the workspace's version.
fn copy_template(root: &Path, pkg: &Path) -> Result<(), String> {
    let template = root.join(TEMPLATE_DIR);
    for file in ["README.md", "mock.d.ts", "cli.js"] {
        std::fs::copy(template.join(file), pkg.join(file))
            .map_err(|e| format!("cannot copy {TEMPLATE_DIR}/{file}: {e}"))?;
    }
    let manifest = std::fs::read_to_string(template.join("package.json"))
        .map_err(|e| format!("cannot read {TEMPLATE_DIR}/package.json: {e}"))?;
    // A text substitution, not a JSON round trip: the order of the `exports` conditions matters
    // ("types" first).
    const PLACEHOLDER: &str = "\"version\": \"0.0.0\"";
    if !manifest.contains(PLACEHOLDER) {
        return Err(format!("{TEMPLATE_DIR}/package.json lacks {PLACEHOLDER}"));
    }
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    std::fs::write(
        pkg.join("package.json"),
        manifest.replace(PLACEHOLDER, &version),
    )
    .map_err(|e| format!("cannot write {PKG_DIR}/package.json: {e}"))
}

/// Writes index.d.ts: the JSON Schema of the Rust types (printed by the applivery-wasm-schema
/// binary) converted by json-schema-to-typescript, after the wrapper's class declarations.
fn generate_dts(root: &Path, pkg: &Path) -> Result<(), String> {
    println!("$ cargo run -p applivery-wasm --bin applivery-wasm-schema");
    let output = Command::new("cargo")
        .args([
            "run",
            "--quiet",
            "-p",
            "applivery-wasm",
            "--bin",
            "applivery-wasm-schema",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "applivery-wasm-schema failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let schema = target_dir(root).join("applivery-oem.schema.json");
    std::fs::write(&schema, &output.stdout).map_err(|e| format!("cannot write schema: {e}"))?;
    run_step(
        "node",
        &[
            "web/tools/generate-dts.mjs",
            path_str(&schema)?,
            &format!("{TEMPLATE_DIR}/index.d.ts"),
            path_str(&pkg.join("index.d.ts"))?,
        ],
        root,
    )
}

/// Prints raw, gzip -9 and brotli sizes of the entries; returns the gzip size of index.js, what
/// a browser downloads (the other rows are for comparison: workerd.js + the `.wasm` is the same
/// code with the wasm in its own file).
fn report_sizes(root: &Path, pkg: &Path) -> Result<u64, String> {
    const BROWSER_ENTRY: &str = "index.js";
    let files = [
        BROWSER_ENTRY.to_string(),
        "index.cjs".to_string(),
        "workerd.js".to_string(),
        format!("{OUT_NAME}_bg.wasm"),
        // Loaded by the entries above when a bulk run starts (not in the budget).
        "bulk-engine.js".to_string(),
        format!("{BULK_OUT_NAME}_bg.wasm"),
        // `applivery-oem/mock` (tests only; not in the budget).
        "mock.js".to_string(),
    ];
    let mut args = vec!["web/tools/sizes.mjs".to_string()];
    args.extend(
        files
            .iter()
            .map(|f| pkg.join(f).to_string_lossy().into_owned()),
    );
    let output = Command::new("node")
        .args(&args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "sizes.mjs failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let sizes: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("sizes.mjs output: {e}"))?;
    let rows = sizes.as_array().ok_or("sizes.mjs: expected an array")?;
    let field = |row: &serde_json::Value, key: &str| row[key].as_u64().unwrap_or(0);
    println!(
        "{:<24} {:>9} {:>9} {:>9}",
        "wasm-size", "raw", "gzip -9", "brotli"
    );
    let mut browser_gzip = None;
    for row in rows {
        let file = row["file"].as_str().unwrap_or("?");
        let gzip = field(row, "gzip");
        let note = if file == BROWSER_ENTRY {
            browser_gzip = Some(gzip);
            format!("   (what a browser downloads; budget: gzip <= {BUDGET_GZIP_BYTES})")
        } else {
            String::new()
        };
        println!(
            "{file:<24} {:>9} {gzip:>9} {:>9}{note}",
            field(row, "raw"),
            field(row, "brotli"),
        );
    }
    browser_gzip.ok_or_else(|| format!("sizes.mjs did not measure {BROWSER_ENTRY}"))
}

/// The shared target directory (honours CARGO_TARGET_DIR).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("non-UTF-8 path: {}", path.display()))
}
