//! Which users a rotation is about: resolved once, from the organization's list (with its
//! filters) or from a file, to collaborator ids with their emails.

use std::collections::HashMap;
use std::path::Path;

use applivery::Client;
use applivery_api::request::{Query, Value};

use super::args::Source;
use crate::failure::Failure;

/// One user to rotate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selected {
    pub id: String,
    /// The email, when known (empty otherwise).
    pub email: String,
}

/// A selection, and the rows of a file that named nobody the organization has.
pub struct Resolution {
    pub selected: Vec<Selected>,
    /// `(row, why)`, e.g. an email no collaborator has.
    pub unresolved: Vec<(String, String)>,
}

/// Resolves `source` to collaborator ids, in order, each once.
pub async fn resolve(client: &Client, org: &str, source: &Source) -> Result<Resolution, Failure> {
    match source {
        Source::List(filters) => {
            let listed = list(client, org, filters).await?;
            // The API's email filter may match parts of emails; a rotation takes exact ones.
            let email = applivery_api::request::get(filters, "email").and_then(|v| match v {
                Value::Text(email) => Some(email.to_lowercase()),
                _ => None,
            });
            let selected = listed
                .into_iter()
                .filter(|s| email.as_ref().is_none_or(|e| s.email.to_lowercase() == *e))
                .collect();
            Ok(Resolution {
                selected: unique(selected),
                unresolved: Vec::new(),
            })
        }
        Source::File { path, kind } => from_file(client, org, path, kind.as_deref()).await,
    }
}

/// Every collaborator the list gives with `filters`.
async fn list(client: &Client, org: &str, filters: &Query) -> Result<Vec<Selected>, Failure> {
    let mut call = client.list_collaborators(org);
    for (wire, value) in filters {
        call = call.param(wire, value.clone());
    }
    let mut stream = call.stream();
    let mut selected = Vec::new();
    while let Some(item) = crate::stream::next(&mut stream).await {
        let collaborator = item.map_err(Failure::api)?;
        let email = collaborator
            .user
            .and_then(|user| user.email)
            .unwrap_or_default();
        selected.push(Selected {
            id: collaborator.id,
            email,
        });
    }
    Ok(selected)
}

/// The rows of `path` (of `kind`, if given): an id where the row has one, else its email
/// matched exactly (ignoring case) against the organization's list.
async fn from_file(
    client: &Client,
    org: &str,
    path: &Path,
    kind: Option<&str>,
) -> Result<Resolution, Failure> {
    let rows = super::rows::read(path, kind)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let by_email: HashMap<String, Selected> = if rows.iter().any(|row| row.id.is_empty()) {
        list(client, org, &Query::new())
            .await?
            .into_iter()
            .map(|s| (s.email.to_lowercase(), s))
            .collect()
    } else {
        HashMap::new()
    };
    let mut selected = Vec::new();
    let mut unresolved = Vec::new();
    for row in rows {
        if !row.id.is_empty() {
            selected.push(Selected {
                id: row.id,
                email: row.email,
            });
        } else if let Some(found) = by_email.get(&row.email.to_lowercase()) {
            selected.push(found.clone());
        } else {
            let why = "no collaborator of the organization has this email".to_owned();
            unresolved.push((row.email, why));
        }
    }
    Ok(Resolution {
        selected: unique(selected),
        unresolved,
    })
}

/// Each id once, first occurrence kept.
fn unique(selected: Vec<Selected>) -> Vec<Selected> {
    let mut seen = std::collections::HashSet::new();
    selected
        .into_iter()
        .filter(|s| seen.insert(s.id.clone()))
        .collect()
}

/// Writes the id list (`collaboratorId,email`) to `path`, whole or not at all.
pub fn write_ids(path: &Path, selected: &[Selected]) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    let file = crate::output_file::open(&partial, &mut options, true).map_err(|e| fail(&e))?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    out.write_record(["collaboratorId", "email"])
        .map_err(|e| fail(&e))?;
    for s in selected {
        let email = applivery_api::csv_cell::neutralize(&s.email);
        out.write_record([s.id.as_str(), &email])
            .map_err(|e| fail(&e))?;
    }
    let file = out
        .into_inner()
        .map_err(|e| fail(&e))?
        .into_inner()
        .map_err(|e| fail(&e))?;
    file.sync_all().map_err(|e| fail(&e))?;
    std::fs::rename(&partial, path).map_err(|e| fail(&e))
}

/// Reads an id list that [`write_ids`] wrote.
pub fn read_ids(path: &Path) -> Result<Vec<Selected>, String> {
    let rows = super::rows::read(path, None)?;
    Ok(rows
        .into_iter()
        .map(|row| Selected {
            id: row.id,
            email: row.email,
        })
        .collect())
}
