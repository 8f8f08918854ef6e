//! The created users: per organization, emails unique case-insensitively.

use std::collections::{HashMap, HashSet};

use applivery_api::types::Collaborator;

/// Everything created since start or the last reset. Callers hold it under one lock, so a
/// check-then-insert is atomic: parallel creates of one email yield exactly one success.
#[derive(Default)]
pub(crate) struct Store {
    /// organization -> lower-cased emails registered there.
    emails: HashMap<String, HashSet<String>>,
    /// In creation order.
    created: Vec<Collaborator>,
}

/// The email is already registered in that organization.
pub(crate) struct AlreadyRegistered;

impl Store {
    /// Registers `collaborator` unless its email is taken in its organization.
    pub(crate) fn insert(&mut self, collaborator: &Collaborator) -> Result<(), AlreadyRegistered> {
        let email = collaborator
            .user
            .as_ref()
            .and_then(|user| user.email.as_deref())
            .unwrap_or_default()
            .to_lowercase();
        let registered = self
            .emails
            .entry(collaborator.organization.clone())
            .or_default();
        if !registered.insert(email) {
            return Err(AlreadyRegistered);
        }
        self.created.push(collaborator.clone());
        Ok(())
    }

    /// Created collaborators in creation order, optionally of one organization only.
    pub(crate) fn users(&self, organization: Option<&str>) -> Vec<Collaborator> {
        self.created
            .iter()
            .filter(|c| organization.is_none_or(|org| c.organization == org))
            .cloned()
            .collect()
    }

    /// Forgets every user.
    pub(crate) fn clear(&mut self) {
        *self = Store::default();
    }
}
