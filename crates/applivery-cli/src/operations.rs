//! A command for every operation of the spec, made from the generated operation table
//! (`applivery_api::operations::OPERATIONS`) when the command line is built: `applivery <group>
//! <command>` from the operation's `x-cli`, path parameters positional (the organization from
//! `--org` / `APPLIVERY_ORGANIZATION_ID`), query parameters as `--kebab-case` flags (lists
//! repeatable), `--output text|json|jsonl|csv`. An operation added to the spec is a command
//! after codegen alone.
//!
//! Its arguments always come from the table. What it does with them is generic (a call through
//! `RawCall`, the answer printed by `output_table`) unless a hand-written runner extends the
//! command ([`run`]'s match): `collaborators list` prints its own columns, `oem-users
//! refresh-secret` the new secret. A command written whole in `args.rs` (`oem-users create`,
//! whose flags come from the spec's `NewOemUser` fields, and `import`) is left as it is.

use applivery_api::operation::{Operation, Param, ParamKind};
use applivery_api::operations::OPERATIONS;
use applivery_api::request::{Query, Value};
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches};

use crate::args::{GlobalArgs, Target};
use crate::failure::Failure;
use crate::output_table::Table;

/// `cli` with a command for every operation that has no hand-written one.
pub fn augment(mut cli: clap::Command) -> clap::Command {
    for operation in OPERATIONS {
        let (group, name) = operation.cli;
        let hand_written = cli
            .find_subcommand(group)
            .is_some_and(|g| g.find_subcommand(name).is_some());
        if hand_written {
            continue;
        }
        let command = command(operation);
        if cli.find_subcommand(group).is_some() {
            cli = cli.mut_subcommand(group, |g| g.subcommand(command));
        } else {
            cli = cli.subcommand(
                clap::Command::new(group)
                    .about(format!("The API's {group} operations."))
                    .subcommand_required(true)
                    .subcommand(command),
            );
        }
    }
    cli
}

/// The generated operation `matches` chose, with its own matches; `None` for a hand-written
/// command.
pub fn chosen(matches: &ArgMatches) -> Option<(&'static Operation, &ArgMatches)> {
    let (group, group_matches) = matches.subcommand()?;
    let (name, command_matches) = group_matches.subcommand()?;
    let operation = OPERATIONS
        .iter()
        .copied()
        .find(|operation| operation.cli == (group, name))?;
    // A hand-written command has no `__generated` marker.
    command_matches
        .try_get_one::<bool>(GENERATED)
        .ok()
        .flatten()
        .map(|_| (operation, command_matches))
}

/// The id of a hidden flag that marks the generated commands.
const GENERATED: &str = "__generated";

fn command(operation: &'static Operation) -> clap::Command {
    let docs = applivery_api::operation::docs(operation.id);
    let mut command = Target::augment_args(clap::Command::new(operation.cli.1))
        // After `augment_args`, which sets the `about` of `Target`.
        .about(docs.summary)
        .arg(
            Arg::new(GENERATED)
                .long("__generated")
                .hide(true)
                .action(ArgAction::SetTrue),
        );
    for param in operation
        .path_params
        .iter()
        .skip(organization_first(operation))
    {
        command = command.arg(
            Arg::new(param.wire)
                .value_name(leak(upper_snake(param.name)))
                .required(true)
                .help(summary(docs.param(param.wire))),
        );
    }
    for param in operation.query {
        command = command.arg(flag(param, docs.param(param.wire)));
    }
    if operation.body.is_some() {
        command = command.arg(
            Arg::new("body")
                .long("body")
                .value_name("JSON")
                .required(true)
                .help("The request body, as JSON (checked by the server)"),
        );
    }
    // Hand-written extensions of generated commands: more flags beside the table's.
    if operation.id == "refreshOemUserSecret"
        && let Some(user) = operation.path_params.last()
    {
        command = crate::rotate::extend(command, user.wire);
    }
    command
}

pub(crate) fn flag(param: &'static Param, description: &'static str) -> Arg {
    let name = param.item.unwrap_or(param.name);
    let arg = Arg::new(param.wire)
        .long(leak(kebab(name)))
        .help(summary(description))
        .required(param.required);
    match param.kind {
        ParamKind::Text => arg.value_name(leak(upper_snake(name))),
        ParamKind::Integer => arg.value_name("N").value_parser(clap::value_parser!(i64)),
        ParamKind::Bool => arg
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true")
            .value_parser(clap::value_parser!(bool)),
        ParamKind::TextList => arg
            .value_name(leak(upper_snake(name)))
            .action(ArgAction::Append),
    }
}

/// 1 when the first path parameter is the organization (`--org`), else 0.
fn organization_first(operation: &Operation) -> usize {
    usize::from(
        operation
            .path_params
            .first()
            .is_some_and(|param| param.wire == "organizationId"),
    )
}

/// Runs the generated command of `operation` and prints its answer.
pub async fn run(
    global: &GlobalArgs,
    operation: &'static Operation,
    matches: &ArgMatches,
) -> Result<u8, Failure> {
    let target = Target::from_arg_matches(matches).map_err(|e| Failure::usage(e.to_string()))?;
    let mut path_args = Vec::new();
    if organization_first(operation) == 1 {
        path_args.push(target.org.clone());
    }
    for param in operation
        .path_params
        .iter()
        .skip(organization_first(operation))
    {
        path_args.extend(matches.get_one::<String>(param.wire).cloned());
    }
    let query = query(operation, matches);
    // Hand-written runners of generated commands: the same arguments, their own output.
    match operation.id {
        "listCollaborators" => {
            crate::collaborators::run(global, &target, query).await?;
            return Ok(crate::exit_code::OK);
        }
        "refreshOemUserSecret" => {
            let user_id = path_args.get(1);
            return match (user_id, crate::rotate::RotateArgs::from_matches(matches)) {
                (Some(_), Some(_)) => Err(Failure::usage(
                    "give one COLLABORATOR_ID or a selection (--all, list filters, --from), not both",
                )),
                (Some(user_id), None) => {
                    crate::refresh_secret::run(global, &target, user_id).await?;
                    Ok(crate::exit_code::OK)
                }
                (None, Some(rotation)) => crate::rotate::run(global, &target, rotation).await,
                (None, None) => Err(Failure::usage(
                    "give a COLLABORATOR_ID, or a selection: --all, list filters or --from FILE",
                )),
            };
        }
        _ => {}
    }
    generic(global, operation, &target, path_args, query, matches).await?;
    Ok(crate::exit_code::OK)
}

/// A generated command's generic run: the call through `RawCall`, its answer printed by
/// `output_table`, page after page for a paged operation (one page with `--page`).
async fn generic(
    global: &GlobalArgs,
    operation: &'static Operation,
    target: &Target,
    path_args: Vec<String>,
    mut query: Query,
    matches: &ArgMatches,
) -> Result<(), Failure> {
    let client = crate::client::for_command(global, target)?;
    default_page_size(operation, &mut query);
    let body = raw_body(matches);
    let one_page = applivery_api::request::get(&query, "page").is_some();
    let mut out = std::io::stdout().lock();
    let mut table = Table::new(global.output);
    let write_error = |e: std::io::Error| Failure::local_io(format!("cannot write to stdout: {e}"));
    let mut page = 1;
    loop {
        if operation.paged && !one_page {
            query.retain(|(wire, _)| *wire != "page");
            query.push(("page", Value::Integer(page)));
        }
        let mut call = client.raw_call(operation, path_args.clone(), query.clone());
        if let Some(body) = &body {
            call = call.body(body.clone());
        }
        let data = match call.await {
            Ok(data) => data,
            Err(error) => {
                // Rows already printed are closed (valid JSON); none: the error alone.
                if table.rows() > 0 {
                    table.finish(&mut out).map_err(write_error)?;
                }
                return Err(Failure::api(error));
            }
        };
        let items = data.get("items").and_then(|items| items.as_array());
        match items {
            Some(items) => {
                for item in items {
                    table.row(&mut out, item).map_err(write_error)?;
                }
            }
            None => {
                return crate::output_table::single(&mut out, global.output, &data)
                    .map_err(write_error);
            }
        }
        let next = match (operation.paged && !one_page, items) {
            (true, Some(items)) => following(page, items.len(), &data),
            _ => None,
        };
        match next {
            Some(next) => page = i64::try_from(next).unwrap_or(i64::MAX),
            None => break,
        }
    }
    table.finish(&mut out).map_err(write_error)
}

/// The `--body` of an operation the CLI has no typed arguments for, sent as it is.
fn raw_body(matches: &ArgMatches) -> Option<Vec<u8>> {
    matches
        .try_get_one::<String>("body")
        .ok()
        .flatten()
        .map(|b| b.clone().into_bytes())
}

/// The server's default page size is small: a paged call asks for the SDK's unless given one.
fn default_page_size(operation: &Operation, query: &mut Query) {
    if let Some(size) = operation.page_size_param()
        && applivery_api::request::get(query, size.wire).is_none()
    {
        query.push((
            size.wire,
            Value::Integer(i64::from(applivery::DEFAULT_PAGE_SIZE)),
        ));
    }
}

/// The page after `page` (which held `items` items), by the answer's paging fields.
fn following(page: i64, items: usize, data: &serde_json::Value) -> Option<u64> {
    applivery::sans_io::next_page(
        page as u64,
        items,
        data.get("hasNextPage").and_then(|v| v.as_bool()),
        data.get("nextPage").and_then(|v| v.as_i64()),
        data.get("totalPages").and_then(|v| v.as_i64()),
    )
}

/// The query parameters given on the command line, by wire name.
fn query(operation: &Operation, matches: &ArgMatches) -> Query {
    given(operation.query, matches)
}

/// The values given on the command line for `params`, by wire name.
pub(crate) fn given<'a>(
    params: impl IntoIterator<Item = &'a Param>,
    matches: &ArgMatches,
) -> Query {
    let mut query = Query::new();
    for param in params {
        let value = match param.kind {
            ParamKind::Text => matches
                .get_one::<String>(param.wire)
                .cloned()
                .map(Value::Text),
            ParamKind::Integer => matches
                .get_one::<i64>(param.wire)
                .copied()
                .map(Value::Integer),
            ParamKind::Bool => matches
                .get_one::<bool>(param.wire)
                .copied()
                .map(Value::Bool),
            ParamKind::TextList => matches
                .get_many::<String>(param.wire)
                .map(|items| Value::TextList(items.cloned().collect())),
        };
        if let Some(value) = value {
            query.push((param.wire, value));
        }
    }
    query
}

/// The first sentence of a description: a flag's help line.
fn summary(text: &'static str) -> &'static str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

/// Names made once per process for clap, which takes `&'static str` (its `string` feature
/// would compile more for a few bytes).
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn kebab(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn upper_snake(name: &str) -> String {
    kebab(name).replace('-', "_").to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_command_and_names_follow_the_spec() {
        let cli = augment(<crate::args::Cli as clap::CommandFactory>::command());
        for operation in OPERATIONS {
            let (group, name) = operation.cli;
            let command = cli
                .find_subcommand(group)
                .and_then(|g| g.find_subcommand(name));
            assert!(command.is_some(), "no command `{group} {name}`");
        }
        assert_eq!(kebab("pageSize"), "page-size");
        assert_eq!(upper_snake("userId"), "USER_ID");
    }
}
