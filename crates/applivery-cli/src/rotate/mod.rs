//! `applivery oem-users refresh-secret --all | FILTERS | --from FILE --secrets FILE`: rotate
//! the OEM secrets of many users, after a leak, without losing one.
//!
//! The selection is resolved once and kept beside the journal ([`journal`]); the engine
//! (`applivery::Client::refresh_oem_user_secrets`) sends with bounded, adaptive concurrency;
//! each new secret is written to the secrets file the moment it arrives, then journaled as
//! done. Running the same command again resumes: done users are not rotated again, the others
//! (answers lost to a crash included) are, so the last line for every user in the secrets file
//! is the secret in force.

mod args;
mod journal;
mod record;
mod report;
mod rows;
mod selection;

use std::path::PathBuf;
use std::time::Duration;

use applivery::RetryPolicy;
use applivery::bulk::{Outcome, StopReason};

pub use args::{RotateArgs, extend};
use journal::RotationJournal;
use record::Record;
use report::Report;
use selection::Selected;

use crate::args::{GlobalArgs, Target};
use crate::exit_code;
use crate::failure::Failure;
use crate::secrets::SecretsFile;

/// Runs a rotation; returns the exit code (the summary is printed).
pub async fn run(global: &GlobalArgs, target: &Target, args: RotateArgs) -> Result<u8, Failure> {
    let client = crate::client::build(
        global,
        target,
        RetryPolicy::default(),
        Duration::from_secs(target.timeout),
    )?;
    let (secrets_path, journal_path) = paths(&args)?;
    let mut report = Report::new(&args, json(global));
    let (selected, done) =
        select(&client, target, &args, journal_path.as_deref(), &mut report).await?;
    let pending: Vec<Selected> = selected
        .iter()
        .filter(|s| !done.contains(&s.id))
        .cloned()
        .collect();
    report.selected(selected.len(), pending.len());
    if args.dry_run {
        return report.dry_run(&pending);
    }
    let (Some(secrets_path), Some(journal_path)) = (secrets_path, journal_path) else {
        unreachable!("a real run has a secrets file, hence a journal");
    };
    let (secrets, _) = SecretsFile::open(&secrets_path).map_err(Failure::local_io)?;
    let journal = if done.is_empty() && !journal_path.exists() {
        RotationJournal::create(&journal_path, &target.org, client.base_url(), &selected)
    } else {
        RotationJournal::open(&journal_path, true)
    }
    .map_err(Failure::local_io)?;
    let record = Record::new(secrets, journal, &pending);
    rotate(&client, target, &args, pending, record, report).await
}

/// The secrets file and the journal (beside it unless `--journal`); a dry run may have neither.
fn paths(args: &RotateArgs) -> Result<(Option<PathBuf>, Option<PathBuf>), Failure> {
    let secrets_path = match (&args.secrets, args.dry_run) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => {
            return Err(Failure::usage(
                "a selection needs --secrets FILE: the new secrets go there and nowhere else",
            ));
        }
    };
    let journal_path = args.journal.clone().or_else(|| {
        secrets_path.as_ref().map(|secrets| {
            let mut name = secrets.as_os_str().to_owned();
            name.push(".journal");
            PathBuf::from(name)
        })
    });
    Ok((secrets_path, journal_path))
}

/// The users selected and those already rotated: from the journal when the run resumes (the
/// selection was resolved once), else resolved now.
async fn select(
    client: &applivery::Client,
    target: &Target,
    args: &RotateArgs,
    journal_path: Option<&std::path::Path>,
    report: &mut Report,
) -> Result<(Vec<Selected>, std::collections::HashSet<String>), Failure> {
    let resumed = match journal_path {
        Some(path) => {
            RotationJournal::read(path, &target.org, client.base_url()).map_err(Failure::usage)?
        }
        None => None,
    };
    if let Some(resumed) = resumed {
        report.resumed(resumed.done.len());
        return Ok((resumed.selected, resumed.done));
    }
    let resolution = selection::resolve(client, &target.org, &args.source).await?;
    for (row, why) in &resolution.unresolved {
        report.unresolved(row, why);
    }
    Ok((resolution.selected, Default::default()))
}

/// Sends the pending users through the engine and records every answer.
async fn rotate(
    client: &applivery::Client,
    target: &Target,
    args: &RotateArgs,
    pending: Vec<Selected>,
    mut record: Record,
    mut report: Report,
) -> Result<u8, Failure> {
    let ids: Vec<String> = pending.into_iter().map(|s| s.id).collect();
    let journal = record.journal();
    let mut stream = client
        .refresh_oem_user_secrets(&target.org, ids)
        .concurrency(usize::from(args.concurrency))
        .as_decided()
        .before_send(move |_, id: &String| std::future::ready(record::lock(&journal).sent(id)))
        .stream();
    let interrupted = crate::interrupt::watch(stream.control());
    let mut local_error = None;
    while let Some(done) = crate::stream::next(&mut stream).await {
        if let Outcome::Refreshed(collaborator) = &done.outcome
            && let Err(e) = record.refreshed(&done.input, collaborator)
        {
            // Nothing more is sent once a secret cannot be written down.
            stream.stop();
            local_error.get_or_insert(e);
        }
        let email = record.email(&done.input);
        report.outcome(&done.input, email, &done.outcome, stream.progress());
    }
    let secrets_written = record.close().unwrap_or_else(|e| {
        local_error.get_or_insert(e);
        0
    });
    let interrupted = interrupted.load(std::sync::atomic::Ordering::SeqCst);
    let code = exit_code(stream.stop_reason(), &mut local_error, interrupted, &report);
    if let Some(error) = &local_error {
        eprintln!("applivery: error: {}", crate::terminal::clean(error));
    }
    report.finish(secrets_written, stream.progress(), code)
}

/// The exit code, as for an import; a fatal API error is reported here.
fn exit_code(
    stop: Option<&StopReason>,
    local_error: &mut Option<String>,
    interrupted: bool,
    report: &Report,
) -> u8 {
    match stop {
        Some(StopReason::Fatal(error)) => {
            Failure::api(error.clone()).report(false);
            return exit_code::for_kind(error.kind());
        }
        Some(StopReason::Hook(message)) => {
            local_error.get_or_insert(message.clone());
        }
        _ => {}
    }
    if local_error.is_some() {
        exit_code::LOCAL_IO
    } else if interrupted {
        exit_code::INTERRUPTED
    } else if report.incomplete() {
        exit_code::ROWS_FAILED
    } else {
        exit_code::OK
    }
}

fn json(global: &GlobalArgs) -> bool {
    global.output.is_json()
}
