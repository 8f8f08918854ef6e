//! What a journal is tied to.

use serde::{Deserialize, Serialize};

/// What a run writes to: a journal only resumes a run against the same place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunInfo {
    /// The input file, as given when the journal was created.
    pub input: String,
    /// The organization the users are created in.
    pub organization: String,
    /// The API base URL.
    pub base_url: String,
}
