//! The selection flags `oem-users refresh-secret` takes besides one `COLLABORATOR_ID`: which
//! users to rotate, where their new secrets go, and the run's journal.

use std::path::PathBuf;

use applivery_api::operation::Operation;
use applivery_api::request::Query;
use clap::{Arg, ArgAction, ArgMatches};

/// The list filters a selection may use: `listCollaborators`' query parameters, except paging
/// and order (the selection is every page; its order is kept in the journal's id list).
fn filters() -> impl Iterator<Item = &'static applivery_api::operation::Param> {
    list_operation()
        .query
        .iter()
        .filter(|param| !matches!(param.wire, "page" | "limit" | "sort"))
}

pub(crate) fn list_operation() -> &'static Operation {
    applivery_api::operations::OPERATIONS
        .iter()
        .copied()
        .find(|operation| operation.id == "listCollaborators")
        .expect("the spec has listCollaborators")
}

/// The refresh command with the selection flags; `COLLABORATOR_ID` becomes optional.
pub fn extend(mut command: clap::Command, id_arg: &'static str) -> clap::Command {
    let docs = applivery_api::operation::docs(list_operation().id);
    command = command
        .mut_arg(id_arg, |arg| arg.required(false))
        .after_help(
            "Rotate many users with a selection instead of COLLABORATOR_ID: --all, the list \
             filters, or --from FILE; their new secrets go to --secrets FILE, and running the \
             same command again resumes an interrupted run.",
        )
        .arg(Arg::new("all").long("all").action(ArgAction::SetTrue).help(
            "Rotate every collaborator of the organization (with the filters: those listed)",
        ));
    for param in filters() {
        command = command.arg(
            crate::operations::flag(param, docs.param(param.wire))
                .help_heading("Selection (list filters)"),
        );
    }
    run_flags(command)
}

/// Where a rotation reads and writes, and how it runs.
fn run_flags(command: clap::Command) -> clap::Command {
    let path = |name: &'static str, value: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .value_name(value)
            .value_parser(clap::value_parser!(PathBuf))
            .help(help)
    };
    command
        .arg(path(
            "from",
            "FILE",
            "Rotate the users of a CSV or JSON Lines file with a collaboratorId or email column \
             (`collaborators list --output csv`, an import's --results)",
        ))
        .arg(
            Arg::new("kind")
                .long("kind")
                .value_name("KIND")
                .requires("from")
                .help("With --from: only the rows whose `kind` (or `outcome`) is KIND, e.g. already_registered_after_retry"),
        )
        .arg(path(
            "secrets",
            "FILE",
            "Append `email,collaboratorId,oemSecret` of each rotated user (mode 0600); required with a selection",
        ))
        .arg(path(
            "journal",
            "PATH",
            "Journal of the run, for resuming [default: the secrets file + .journal]",
        ))
        .arg(path(
            "results",
            "PATH",
            "Write one line per user (CSV, or JSON Lines for .jsonl): id, email, outcome; never a secret",
        ))
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help("List who would be rotated; send and write nothing"),
        )
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .value_name("N")
                .default_value("8")
                .value_parser(clap::value_parser!(u16).range(1..=256))
                .help("Most requests in flight at once (lowered automatically on 429/503)"),
        )
        .arg(
            Arg::new("quiet")
                .long("quiet")
                .short('q')
                .action(ArgAction::SetTrue)
                .help("No progress output on stderr"),
        )
}

/// Where the users to rotate come from.
#[derive(Debug)]
pub enum Source {
    /// Every collaborator the list gives with these filters (`--all` or any filter).
    List(Query),
    /// The rows of a file, optionally only those of one kind.
    File { path: PathBuf, kind: Option<String> },
}

/// A rotation's flags.
#[derive(Debug)]
pub struct RotateArgs {
    pub source: Source,
    pub secrets: Option<PathBuf>,
    pub journal: Option<PathBuf>,
    pub results: Option<PathBuf>,
    pub dry_run: bool,
    pub concurrency: u16,
    pub quiet: bool,
}

impl RotateArgs {
    /// The selection given, if any (`None`: the single-user form).
    pub fn from_matches(matches: &ArgMatches) -> Option<RotateArgs> {
        let filters = crate::operations::given(filters(), matches);
        let from = matches.get_one::<PathBuf>("from").cloned();
        let source = match from {
            Some(path) => Source::File {
                path,
                kind: matches.get_one::<String>("kind").cloned(),
            },
            None if matches.get_flag("all") || !filters.is_empty() => Source::List(filters),
            None => return None,
        };
        Some(RotateArgs {
            source,
            secrets: matches.get_one::<PathBuf>("secrets").cloned(),
            journal: matches.get_one::<PathBuf>("journal").cloned(),
            results: matches.get_one::<PathBuf>("results").cloned(),
            dry_run: matches.get_flag("dry-run"),
            concurrency: matches.get_one::<u16>("concurrency").copied().unwrap_or(8),
            quiet: matches.get_flag("quiet"),
        })
    }
}
