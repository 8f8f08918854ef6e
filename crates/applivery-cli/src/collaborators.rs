//! `applivery collaborators list` (generated from the operation table; this is its hand-written
//! runner): the organization's collaborators, printed as pages arrive
//! (text, JSON, JSON Lines or CSV); memory holds one page. Never a secret.

use std::io::Write;

use applivery::Collaborator;

use applivery_api::request::{Query, Value};

use crate::args::{GlobalArgs, OutputFormat, Target};
use crate::failure::Failure;

/// The CSV columns.
const CSV_HEADER: &str = "id,email,firstName,lastName,role,tags,createdAt";

/// Lists and prints; an error after some rows ends the output where it is (JSON stays valid:
/// the array is closed) and fails the command. The command and its flags are generated from the
/// operation table (`operations.rs`); `query` holds the values given, by wire name, and
/// `page` among them asks for that one page instead of all of them.
pub async fn run(global: &GlobalArgs, target: &Target, query: Query) -> Result<(), Failure> {
    let client = crate::client::for_command(global, target)?;
    let mut list = client.list_collaborators(&target.org);
    let mut one_page = None;
    for (wire, value) in query {
        match (wire, value) {
            ("page", Value::Integer(page)) => one_page = Some(u64::try_from(page).unwrap_or(0)),
            (wire, value) => list = list.param(wire, value),
        }
    }
    let mut out = std::io::stdout().lock();
    let mut printer = Printer::new(global.output);
    let write_error = |e: std::io::Error| Failure::local_io(format!("cannot write to stdout: {e}"));
    let mut failure = None;
    match one_page {
        Some(page) => match list.page(page).await {
            Ok(page) => {
                for collaborator in &page.items {
                    printer.row(&mut out, collaborator).map_err(write_error)?;
                }
            }
            Err(error) => failure = Some(Failure::api(error)),
        },
        None => {
            let mut stream = list.stream();
            while let Some(item) = crate::stream::next(&mut stream).await {
                match item {
                    Ok(collaborator) => {
                        printer.row(&mut out, &collaborator).map_err(write_error)?
                    }
                    Err(error) => {
                        failure = Some(Failure::api(error));
                        break;
                    }
                }
            }
        }
    }
    printer.finish(&mut out).map_err(write_error)?;
    failure.map_or(Ok(()), Err)
}

/// Prints rows in one format, with what comes before the first and after the last.
struct Printer {
    format: OutputFormat,
    rows: u64,
}

impl Printer {
    fn new(format: OutputFormat) -> Self {
        Printer { format, rows: 0 }
    }

    fn row(&mut self, out: &mut impl Write, collaborator: &Collaborator) -> std::io::Result<()> {
        let user = collaborator.user.clone().unwrap_or_default();
        let email = user.email.as_deref().unwrap_or("");
        match self.format {
            OutputFormat::Json => {
                let separator = if self.rows == 0 { "[\n  " } else { ",\n  " };
                write!(out, "{separator}{}", json(collaborator))?;
            }
            OutputFormat::Jsonl => writeln!(out, "{}", json(collaborator))?,
            OutputFormat::Csv => {
                if self.rows == 0 {
                    writeln!(out, "{CSV_HEADER}")?;
                }
                let cells = [
                    collaborator.id.as_str(),
                    email,
                    user.first_name.as_deref().unwrap_or(""),
                    user.last_name.as_deref().unwrap_or(""),
                    &collaborator.role,
                    &collaborator.tags.join(";"),
                    collaborator.created_at.as_deref().unwrap_or(""),
                ];
                let cells: Vec<String> = cells.iter().map(|cell| csv_cell(cell)).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
            OutputFormat::Text => {
                if self.rows == 0 {
                    writeln!(out, "{:<24}  {:<32}  {:<10}  tags", "id", "email", "role")?;
                }
                let line = format!(
                    "{:<24}  {:<32}  {:<10}  {}",
                    collaborator.id,
                    email,
                    collaborator.role,
                    collaborator.tags.join(", ")
                );
                writeln!(out, "{}", crate::terminal::clean(&line))?;
            }
        }
        self.rows += 1;
        out.flush()
    }

    fn finish(&self, out: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            OutputFormat::Json if self.rows == 0 => writeln!(out, "[]"),
            OutputFormat::Json => writeln!(out, "\n]"),
            OutputFormat::Csv if self.rows == 0 => writeln!(out, "{CSV_HEADER}"),
            OutputFormat::Text => {
                let plural = if self.rows == 1 { "" } else { "s" };
                writeln!(out, "{} collaborator{plural}", self.rows)
            }
            _ => Ok(()),
        }
    }
}

/// The collaborator as JSON, without `oemSecret` (a list never carries one anyway).
fn json(collaborator: &Collaborator) -> String {
    let mut value = serde_json::to_value(collaborator).expect("a collaborator always serializes");
    if let Some(object) = value.as_object_mut() {
        object.remove("oemSecret");
    }
    crate::terminal::json(&value.to_string()).into_owned()
}

/// A CSV cell: a formula-looking start neutralized ([`applivery_api::csv_cell`]), then quoted
/// when it holds a comma, a quote or a line break.
pub(crate) fn csv_cell(text: &str) -> String {
    let text = applivery_api::csv_cell::neutralize(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}
