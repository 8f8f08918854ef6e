//! Where a rotation's answers are written down: the new secret in the secrets file first, then
//! `done` in the journal, so that a user journaled done always has its secret written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use applivery::Collaborator;

use super::journal::RotationJournal;
use super::selection::Selected;
use crate::secrets::SecretsFile;

/// The secrets file and the journal of one run, with the emails of its users.
pub struct Record {
    secrets: SecretsFile,
    journal: Arc<Mutex<RotationJournal>>,
    emails: HashMap<String, String>,
}

impl Record {
    pub fn new(secrets: SecretsFile, journal: RotationJournal, pending: &[Selected]) -> Record {
        Record {
            secrets,
            journal: Arc::new(Mutex::new(journal)),
            emails: pending
                .iter()
                .map(|s| (s.id.clone(), s.email.clone()))
                .collect(),
        }
    }

    /// The journal, for the engine's `before_send` hook (`sent ID`).
    pub fn journal(&self) -> Arc<Mutex<RotationJournal>> {
        Arc::clone(&self.journal)
    }

    /// The email the selection gave for `id`.
    pub fn email(&self, id: &str) -> &str {
        self.emails.get(id).map_or("", String::as_str)
    }

    /// `id` was rotated: its new secret, then its `done`.
    pub fn refreshed(&mut self, id: &str, collaborator: &Collaborator) -> Result<(), String> {
        let email = collaborator
            .user
            .as_ref()
            .and_then(|u| u.email.as_deref())
            .unwrap_or_else(|| self.email(id))
            .to_owned();
        let Some(secret) = &collaborator.oem_secret else {
            return Err(format!("no OEM secret in the answer for {id}"));
        };
        self.secrets.write(&email, id, secret)?;
        lock(&self.journal).done(id)
    }

    /// Syncs both files; how many secrets this run wrote.
    pub fn close(self) -> Result<u64, String> {
        let written = self.secrets.written;
        self.secrets.finish()?;
        lock(&self.journal).sync()?;
        Ok(written)
    }
}

pub fn lock(journal: &Mutex<RotationJournal>) -> std::sync::MutexGuard<'_, RotationJournal> {
    // A panic while holding it cannot leave a line half-written: each is one write.
    journal.lock().unwrap_or_else(|e| e.into_inner())
}
