//! The end of a real run: the summary's counts, why it stopped, its exit code, and what went
//! wrong said on stderr.

use applivery::Error;
use applivery::bulk::StopReason;

use super::pass2::Sent;
use crate::exit_code;
use crate::failure::Failure;
use crate::summary::Summary;

/// Fills the summary from pass 2, reports what stopped it, prints it; returns the exit code.
pub(super) fn finish(mut summary: Summary, sent: Sent, json: bool) -> u8 {
    let report = &sent.report;
    summary.set_counts(&report.counts, report.sent, sent.elapsed);
    summary.push_backs = sent.progress.push_backs;
    summary.lowest_concurrency = sent.progress.lowest_limit;
    summary.results = report.results_path.clone();
    summary.secrets = report.secrets.clone().map(|(path, _)| path);
    summary.secrets_written = report.secrets.as_ref().map(|(_, n)| *n);
    let fatal = match &sent.stop {
        Some(StopReason::Fatal(error)) => Some(error),
        _ => None,
    };
    let local_error = report
        .results_error
        .clone()
        .or(report.secrets_error.clone())
        .or(sent.journal_closed.clone().err())
        .or(report.journal_error.clone());
    summary.stopped_by = stopped_by(&sent, fatal);
    summary.exit_code = if let Some(fatal) = fatal {
        exit_code::for_kind(fatal.kind())
    } else if local_error.is_some() {
        exit_code::LOCAL_IO
    } else if let Some(failure) = &sent.reader {
        failure.exit_code
    } else if sent.interrupted {
        exit_code::INTERRUPTED
    } else if summary.failed > 0 || summary.not_sent > 0 {
        exit_code::ROWS_FAILED
    } else if summary.invalid > 0 {
        exit_code::ROWS_INVALID
    } else {
        exit_code::OK
    };
    if let Some(fatal) = fatal {
        Failure::api(fatal.clone()).report(false);
        eprintln!("applivery: the import stopped; rows not sent are retried by the next run");
    }
    if let Some(error) = &local_error {
        eprintln!("applivery: error: {}", crate::terminal::clean(error));
    }
    if let Some(failure) = &sent.reader {
        failure.report(false);
    }
    summary.print(json);
    summary.exit_code
}

/// The summary's `stoppedBy`: the first of what can stop an import early.
fn stopped_by(sent: &Sent, fatal: Option<&Error>) -> Option<String> {
    let report = &sent.report;
    if let Some(fatal) = fatal {
        Some(fatal.kind().as_str().to_owned())
    } else if report.journal_error.is_some() || report.secrets_error.is_some() {
        Some("io".to_owned())
    } else if sent.reader.is_some() {
        Some("file_changed".to_owned())
    } else if sent.interrupted {
        Some("interrupted".to_owned())
    } else {
        None
    }
}
