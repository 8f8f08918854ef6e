//! `cargo xtask evolution` (part of `cargo xtask test`): proves that properties and operations
//! added to the spec reach every surface with no hand edit.
//!
//! The operations: `GET .../collaborators/evolution/{entityId}` (`getEvolutionGroups`, `x-cli`
//! "evolution groups"), with a path parameter of Applivery's entity-id `pattern`, a query
//! parameter `label`, and an existing schema as its answer (with an example, which the mock
//! answers as it does for any operation it does not model), and a `POST` to the same path with a
//! `NewOemUser` body. The GET is called from a Rust probe (with `.timeout(..)`), the CLI and the
//! npm package, each getting the example back, and a path argument that breaks the pattern is
//! refused before anything is sent; the POST is sent from Rust and npm, and the mock refuses its
//! invalid bodies by the spec's rules.
//!
//! On a copy of the workspace (target/evolution/workspace) it adds an optional string
//! `language` and an optional array of strings `groups` to `NewOemUser` and a nullable string
//! `lastLogin` (with an `example`, which the mock answers) to `Collaborator`, runs codegen,
//! counts the lines that differ from this workspace outside the spec and the generated files
//! (must be 0), builds, and checks against the mock: the Rust builder sets and sends them and
//! reads `last_login` typed; `applivery oem-users create --language .. --group ..` and an import
//! column send them and print `lastLogin`; the npm package's `.d.ts` declares them and
//! `createOemUser` sends them and returns `lastLogin`; the mock stores every one
//! (`/__mock/requests`).
//!
//! Builds share this workspace's compiled dependencies: target/debug and the wasm target are
//! hard-linked into target/evolution/target (our crates compile anew there: their paths differ).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{codegen, project_root};

/// The added properties, as spec JSON.
const LANGUAGE: &str = r#""language": { "type": "string", "description": "Preferred language of the new user (added by the evolution test)." }"#;
const GROUPS: &str = r#""groups": { "type": "array", "items": { "type": "string" }, "description": "Groups of the new user (added by the evolution test)." }"#;
const LAST_LOGIN: &str = r#""lastLogin": { "type": "string", "nullable": true, "example": "2026-11-30T08:00:00.000Z", "description": "Time of the last login (added by the evolution test)." }"#;
const LAST_LOGIN_EXAMPLE: &str = "2026-11-30T08:00:00.000Z";

/// The added operation's id, path and example value, and an entity id of the pattern.
const OPERATION_PATH: &str =
    "/v1/organizations/{organizationId}/collaborators/evolution/{entityId}";
const OPERATION_EXAMPLE: &str = "evolved";
const ENTITY_ID: &str = "5f3a9c0e1b2c3d4e5f6a7b8c";

/// The added operation, as spec JSON.
fn operation() -> serde_json::Value {
    serde_json::json!({ "get": {
        "operationId": "getEvolutionGroups",
        "summary": "Evolution groups",
        "description": "Added by the evolution test.",
        "tags": ["Collaborators"],
        "x-cli": "evolution groups",
        "parameters": [
            { "name": "organizationId", "in": "path", "required": true,
              "schema": { "type": "string", "pattern": "^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$" } },
            { "name": "entityId", "in": "path", "required": true, "description": "An entity id.",
              "schema": { "type": "string", "pattern": "^[a-fA-F0-9]{24}$" } },
            { "name": "label", "in": "query", "required": false, "description": "A label.",
              "schema": { "type": "string", "maxLength": 16 } }
        ],
        "responses": { "200": { "description": "The groups.", "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/CollaboratorGroupListResponse" },
            "example": { "status": true, "data": { "items": [ { "value": OPERATION_EXAMPLE } ] } }
        } } } }
    }, "post": {
        // With a body of an existing schema: the mock, which does not model it, checks the body
        // by the spec's rules before answering the example.
        "operationId": "createEvolutionUser",
        "summary": "Evolution user",
        "tags": ["Collaborators"],
        "x-cli": "evolution create",
        "parameters": [
            { "name": "organizationId", "in": "path", "required": true, "schema": { "type": "string" } },
            { "name": "entityId", "in": "path", "required": true,
              "schema": { "type": "string", "pattern": "^[a-fA-F0-9]{24}$" } }
        ],
        "requestBody": { "required": true, "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/NewOemUser" } } } },
        "responses": { "200": { "description": "Created.", "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/CreateOemUserResponse" },
            "example": { "status": true, "data": { "collaborator": { "id": OPERATION_EXAMPLE,
                "organization": "o", "role": "owner", "tags": [], "detected": {} } } }
        } } } }
    } })
}

/// `text` with the operation added first to its paths (as text: a JSON round trip would sort
/// every object's keys, and with them the properties' order the surfaces follow).
fn add_operation(text: &str) -> Result<String, String> {
    let paths = text.find("\"paths\": {").ok_or("the spec has no paths")? + "\"paths\": {".len();
    let operation = serde_json::to_string_pretty(&operation()).map_err(|e| e.to_string())?;
    Ok(format!(
        "{}\n{OPERATION_PATH:?}: {operation},{}",
        &text[..paths],
        &text[paths..]
    ))
}

/// The program the test writes to use the new builder methods: test scaffolding, not a change
/// to the SDK (it is not counted as a hand edit).
const RUST_PROBE: &str = r#"
use applivery::{Client, NewOemUser};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mock = applivery_mock::MockServer::start(Default::default()).await.unwrap();
    let client = Client::builder()
        .api_key(applivery_mock::DEFAULT_API_KEY)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let user = NewOemUser::new("evo-rust@example.com").language("pt").groups(["r1"]).group("r2");
    assert_eq!(user.get_language(), Some("pt"));
    let created = client.create_oem_user(applivery_mock::DEFAULT_ORG, user).await.unwrap();
    let last_login: Option<String> = created.last_login.clone();
    let sent = &mock.requests()[0];
    assert_eq!(sent.language.as_deref(), Some("pt"));
    assert_eq!(sent.groups, ["r1", "r2"]);
    // The added operation: generated method, query setter, per-call option, the spec's example.
    let groups = client
        .get_evolution_groups(applivery_mock::DEFAULT_ORG, "5f3a9c0e1b2c3d4e5f6a7b8c")
        .label("x")
        .timeout(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(groups.items[0].value, "evolved");
    let before = mock.request_count();
    let refused = client
        .get_evolution_groups(applivery_mock::DEFAULT_ORG, "not-an-entity-id")
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), applivery::ErrorKind::InvalidInput);
    assert_eq!(refused.field_errors()[0].field, "entityId");
    assert_eq!(mock.request_count(), before, "nothing sent for a bad entity id");
    // The added POST: the body's rules before sending, the example back.
    let made = client
        .create_evolution_user(applivery_mock::DEFAULT_ORG, "5f3a9c0e1b2c3d4e5f6a7b8c", NewOemUser::new("evo-post@example.com"))
        .await
        .unwrap();
    assert_eq!(made.id, "evolved");
    println!("{}", serde_json::json!({ "lastLogin": last_login }));
}
"#;

/// The npm side: types, a create through the package, and what the mock stored for everyone.
const NODE_PROBE: &str = r#"
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
const [pkg, baseUrl, example] = process.argv.slice(2);
const types = readFileSync(`${pkg}/index.d.ts`, 'utf8');
assert.match(types, /language\?: string( \| null)?;/);
assert.match(types, /groups\?: string\[\];/);
assert.match(types, /lastLogin\??: string \| null;/);
const { AppliveryClient, init, oemUserFields } = await import(`${pkg}/index.js`);
await init();
assert.deepEqual(oemUserFields().map((f) => f.name).slice(-2), ['language', 'groups']);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
const created = await client.createOemUser('demo-org', { email: 'evo-npm@example.com', language: 'it', groups: ['n1'] });
assert.equal(created.lastLogin, example);
const stored = await (await fetch(`${baseUrl}/__mock/requests`)).json();
const by = Object.fromEntries(stored.map((r) => [r.email, [r.language, r.groups]]));
assert.deepEqual(by['evo-cli@example.com'], ['fr', ['g1', 'g2']]);
assert.deepEqual(by['evo-import@example.com'], ['de', ['a', 'b']]);
assert.deepEqual(by['evo-npm@example.com'], ['it', ['n1']]);
console.log('npm: .d.ts declares language, groups, lastLogin; createOemUser sent them and got lastLogin');
assert.match(types, /getEvolutionGroups\(organizationId: string, entityId: string, options\?: GetEvolutionGroupsOptions\): Promise<CollaboratorGroupList>;/);
const groups = await client.getEvolutionGroups('demo-org', '5f3a9c0e1b2c3d4e5f6a7b8c', { label: 'x' });
assert.equal(groups.items[0].value, 'evolved');
const count = async () => (await (await fetch(`${baseUrl}/__mock/requests`)).json()).length;
const before = await count();
const refused = await client.getEvolutionGroups('demo-org', 'not-an-entity-id').catch((e) => e);
assert.equal(refused.kind, 'invalid_input');
assert.equal(refused.fieldErrors[0].field, 'entityId');
console.log('npm: getEvolutionGroups declared, answered the example, refused a bad entity id unsent');
const made = await client.createEvolutionUser('demo-org', '5f3a9c0e1b2c3d4e5f6a7b8c', { email: 'evo-post@example.com' });
assert.equal(made.id, 'evolved');
const post = (body) => fetch(`${baseUrl}/v1/organizations/demo-org/collaborators/evolution/5f3a9c0e1b2c3d4e5f6a7b8c`, {
  method: 'POST', headers: { authorization: 'Bearer mock-api-key', 'content-type': 'application/json' }, body });
const badBody = await post(JSON.stringify({ email: 'no-at-sign' }));
assert.equal(badBody.status, 400);
assert.equal((await badBody.json()).error.code, 6001);
assert.equal((await post('{"email": 1}')).status, 400);
console.log('npm: createEvolutionUser sent its body; the mock checked an unmodelled body by the spec (400 6001)');
"#;

pub fn run() -> Result<(), String> {
    let root = project_root();
    let work = root.join("target/evolution");
    let _ = fs::remove_dir_all(&work);
    let ws = work.join("workspace");
    let files = copy_workspace(&root, &ws)?;

    let spec_path = ws.join(codegen::SPEC_PATH);
    let spec = read(&spec_path)?;
    let spec = add_property(&spec, "NewOemUser", LANGUAGE)?;
    let spec = add_property(&spec, "NewOemUser", GROUPS)?;
    let spec = add_property(&spec, "Collaborator", LAST_LOGIN)?;
    let spec = add_operation(&spec)?;
    write(&spec_path, &spec)?;
    codegen::run(&codegen::Options {
        spec: spec_path,
        root: ws.clone(),
        check: false,
    })?;
    let xtask = own_copy(&work)?;
    let edited = hand_edited_lines(&root, &ws, &files)?;
    println!("evolution: hand-edited lines outside the spec and generated files: {edited}");
    if edited != 0 {
        return Err(format!("the spec change needed {edited} hand-edited lines"));
    }

    let target = work.join("target");
    share_dependencies(&root.join("target"), &target)?;
    let target_arg = target.to_str().ok_or("non-UTF-8 path")?;
    let cargo = |args: &[&str]| -> Result<String, String> {
        output(
            Command::new("cargo")
                .args(args)
                .env("CARGO_TARGET_DIR", target_arg)
                .current_dir(&ws),
        )
    };

    // Rust: the generated builder methods and the typed field.
    write(
        &ws.join("crates/applivery/examples/evolution_probe.rs"),
        RUST_PROBE,
    )?;
    let printed = cargo(&[
        "run",
        "--quiet",
        "-p",
        "applivery",
        "--example",
        "evolution_probe",
    ])?;
    expect_last_login("Rust", &printed)?;
    println!("rust: .language(), .groups(), .group() sent; Collaborator::last_login read");
    println!(
        "rust: get_evolution_groups(..).label(..).timeout(..) answered the example; a bad entity id refused unsent"
    );

    // CLI: flags and an import column, against the mock the npm probe asks afterwards.
    cargo(&["build", "--quiet", "-p", "applivery-cli"])?;
    let cli = target.join("debug/applivery");
    let mut mock = Command::new(&cli);
    mock.args(["mock", "--addr", "127.0.0.1:0"]);
    let (mut mock, base_url) = crate::mock_process::start(mock)?;
    let result = cli_and_npm(&root, &ws, &cli, &base_url, &xtask, target_arg);
    let _ = mock.kill();
    let _ = mock.wait();
    result?;
    println!(
        "evolution: properties and operations added to the spec reached every surface with no hand edit"
    );
    Ok(())
}

fn cli_and_npm(
    root: &Path,
    ws: &Path,
    cli: &Path,
    base_url: &str,
    xtask: &Path,
    target: &str,
) -> Result<(), String> {
    let applivery = |args: &[&str]| {
        output(
            Command::new(cli)
                .args(["--base-url", base_url])
                .args(args)
                .env("APPLIVERY_API_KEY", "mock-api-key")
                .current_dir(ws),
        )
    };
    let printed = applivery(&[
        "--output",
        "json",
        "oem-users",
        "create",
        "--org",
        "demo-org",
        "--email",
        "evo-cli@example.com",
        "--language",
        "fr",
        "--group",
        "g1",
        "--groups",
        "g2",
    ])?;
    expect_last_login("CLI", &printed)?;
    let csv = ws.join("target-evolution-users.csv");
    write(
        &csv,
        "email,Language,GROUPS\nevo-import@example.com,de,a;b\n",
    )?;
    applivery(&[
        "oem-users",
        "import",
        csv.to_str().ok_or("non-UTF-8 path")?,
        "--org",
        "demo-org",
        "--no-journal",
    ])?;
    println!(
        "cli: --language, --group/--groups and the Language/GROUPS columns sent; lastLogin printed"
    );
    cli_operation(&applivery, cli, base_url)?;
    npm(root, ws, base_url, xtask, target)
}

/// CLI: the added operation's generated command answers the example and refuses a bad id (exit 2).
fn cli_operation(
    applivery: &dyn Fn(&[&str]) -> Result<String, String>,
    cli: &Path,
    base_url: &str,
) -> Result<(), String> {
    let printed = applivery(&[
        "--output",
        "json",
        "evolution",
        "groups",
        ENTITY_ID,
        "--org",
        "demo-org",
        "--label",
        "x",
    ])?;
    if !printed.contains(OPERATION_EXAMPLE) {
        return Err(format!(
            "CLI: `evolution groups` did not print the example: {printed}"
        ));
    }
    let refused = Command::new(cli)
        .args([
            "--base-url",
            base_url,
            "evolution",
            "groups",
            "not-an-entity-id",
        ])
        .args(["--org", "demo-org"])
        .env("APPLIVERY_API_KEY", "mock-api-key")
        .output()
        .map_err(|e| format!("cannot run the CLI: {e}"))?;
    if refused.status.code() != Some(2) {
        return Err(format!(
            "CLI: a bad entity id exited {:?}, not 2",
            refused.status
        ));
    }
    println!(
        "cli: `applivery evolution groups ENTITY_ID --label x` printed the example; a bad id exited 2"
    );

    Ok(())
}

/// npm: the package built from the changed workspace, and the probe's calls against the mock.
fn npm(root: &Path, ws: &Path, base_url: &str, xtask: &Path, target: &str) -> Result<(), String> {
    step(
        Command::new(xtask)
            // The budget is the real package's; the copy carries three more properties.
            .args(["wasm", "--no-budget"])
            .env("APPLIVERY_XTASK_ROOT", ws)
            .env("CARGO_TARGET_DIR", target)
            .current_dir(ws),
    )?;
    let probe = ws.join("web/evolution-probe.mjs");
    write(&probe, NODE_PROBE)?;
    let pkg = ws.join("web/pkg");
    step(
        Command::new("node")
            .arg(&probe)
            .arg(&pkg)
            .args([base_url, LAST_LOGIN_EXAMPLE])
            .current_dir(root.join("web")),
    )
}

/// A copy of this program, to run its `wasm` task on the workspace copy: a workspace-wide
/// `cargo test` earlier in the run may have replaced target/debug/xtask (with other features), and
/// /proc/self/exe still reads the running one.
fn own_copy(work: &Path) -> Result<PathBuf, String> {
    let copy = work.join("xtask");
    let running = Path::new("/proc/self/exe");
    let source = if running.exists() {
        running.to_path_buf()
    } else {
        std::env::current_exe().map_err(|e| format!("cannot find xtask: {e}"))?
    };
    fs::copy(&source, &copy).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    Ok(copy)
}

/// Copies the files git knows (tracked, or new and not ignored) into `to`; links node_modules.
fn copy_workspace(root: &Path, to: &Path) -> Result<Vec<PathBuf>, String> {
    let listed = output(
        Command::new("git")
            .args(["ls-files", "--cached", "--others", "--exclude-standard"])
            .current_dir(root),
    )?;
    let mut files = Vec::new();
    for name in listed.lines() {
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let dest = to.join(name);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::copy(&from, &dest).map_err(|e| format!("cannot copy {name}: {e}"))?;
        files.push(PathBuf::from(name));
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("web/node_modules"), to.join("web/node_modules"))
        .map_err(|e| format!("cannot link web/node_modules: {e}"))?;
    Ok(files)
}

/// Hard-links the compiled dependencies of `from` (debug and wasm32) into `to`.
fn share_dependencies(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for dir in ["debug", "wasm32-unknown-unknown"] {
        if from.join(dir).is_dir() {
            step(Command::new("cp").arg("-al").arg(from.join(dir)).arg(to))?;
        }
    }
    Ok(())
}

/// Lines that differ between `root` and `ws` in every file but the spec and generated ones
/// (those starting with the codegen header, and the spec's copy), outside generated blocks.
fn hand_edited_lines(root: &Path, ws: &Path, files: &[PathBuf]) -> Result<usize, String> {
    let mut edited = 0;
    for name in files {
        let generated_copy = name == Path::new(codegen::SPEC_COPY_FILE);
        if name == Path::new(codegen::SPEC_PATH) || generated_copy {
            continue;
        }
        let (Ok(before), Ok(after)) = (
            fs::read_to_string(root.join(name)),
            fs::read_to_string(ws.join(name)),
        ) else {
            continue; // not text
        };
        if after.starts_with("// @generated by `cargo xtask codegen`") {
            continue;
        }
        let (before, after) = (
            codegen::without_generated_blocks(&before),
            codegen::without_generated_blocks(&after),
        );
        let diff = similar::TextDiff::from_lines(&before, &after);
        edited += diff
            .iter_all_changes()
            .filter(|change| change.tag() != similar::ChangeTag::Equal)
            .count();
    }
    Ok(edited)
}

/// `text` with `property` (JSON text) added last to the properties of component `schema`.
fn add_property(text: &str, schema: &str, property: &str) -> Result<String, String> {
    let start = text
        .find(&format!("\"{schema}\": {{"))
        .ok_or_else(|| format!("the spec has no schema {schema}"))?;
    let properties = start
        + text[start..]
            .find("\"properties\": {")
            .ok_or_else(|| format!("{schema} has no properties"))?
        + "\"properties\": ".len();
    let end = matching_brace(text, properties)
        .ok_or_else(|| format!("{schema}'s properties do not close"))?;
    let body = text[..end].trim_end();
    Ok(format!("{body},\n{property}\n{}", &text[end..]))
}

/// The index of the `}` closing the `{` at `open`, skipping JSON strings.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The last JSON document printed has `lastLogin` equal to the spec's example.
fn expect_last_login(surface: &str, printed: &str) -> Result<(), String> {
    let start = printed
        .find('{')
        .ok_or_else(|| format!("{surface} printed no JSON: {printed}"))?;
    let value: serde_json::Value = serde_json::from_str(printed[start..].trim())
        .map_err(|e| format!("{surface} printed no JSON ({e}): {printed}"))?;
    if value["lastLogin"] == LAST_LOGIN_EXAMPLE {
        Ok(())
    } else {
        Err(format!("{surface}: lastLogin did not come back: {printed}"))
    }
}

fn step(command: &mut Command) -> Result<(), String> {
    output(command).map(|printed| print!("{printed}"))
}

/// Runs `command`, echoing it; its stdout, or an error with its stderr.
fn output(command: &mut Command) -> Result<String, String> {
    println!("$ {command:?}");
    let out = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{command:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
