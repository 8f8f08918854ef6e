//! The created users: per organization, emails unique case-insensitively, each with its secret.

use std::collections::{HashMap, HashSet};

use applivery_api::types::{Collaborator, NewOemUser};

/// Everything created since start or the last reset. Callers hold it under one lock, so a
/// check-then-insert is atomic: parallel creates of one email yield exactly one success.
#[derive(Default)]
pub(crate) struct Store {
    /// organization (as addressed in the path) -> lower-cased emails registered there.
    emails: HashMap<String, HashSet<String>>,
    /// In creation order.
    created: Vec<Entry>,
}

/// One created user.
struct Entry {
    /// The organization as the request's path named it.
    organization: String,
    /// The request body as received: every property the spec names, including those the
    /// answer does not echo.
    request: NewOemUser,
    collaborator: Collaborator,
    oem_secret: String,
    /// How many times the secret was refreshed since the user was created, so a test of a bulk
    /// refresh can tell a user refreshed twice from one refreshed once.
    refresh_count: u64,
}

/// The email is already registered in that organization.
pub(crate) struct AlreadyRegistered;

/// What `GET /__mock/oem-secrets` and `MockServer::oem_secret` tell a test about one user.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredSecret {
    pub(crate) organization: String,
    pub(crate) email: String,
    pub(crate) collaborator_id: String,
    pub(crate) oem_secret: String,
    pub(crate) refresh_count: u64,
}

impl Store {
    /// Registers `collaborator` in `organization` unless its email is taken there.
    pub(crate) fn insert(
        &mut self,
        organization: &str,
        request: NewOemUser,
        collaborator: &Collaborator,
        oem_secret: &str,
    ) -> Result<(), AlreadyRegistered> {
        let email = email_of(collaborator).to_lowercase();
        let registered = self.emails.entry(organization.to_owned()).or_default();
        if !registered.insert(email) {
            return Err(AlreadyRegistered);
        }
        self.created.push(Entry {
            organization: organization.to_owned(),
            request,
            collaborator: collaborator.clone(),
            oem_secret: oem_secret.to_owned(),
            refresh_count: 0,
        });
        Ok(())
    }

    /// Created collaborators in creation order, optionally of one organization only. Without
    /// their secrets: see [`Store::secrets`].
    pub(crate) fn users(&self, organization: Option<&str>) -> Vec<Collaborator> {
        self.of(organization)
            .map(|entry| entry.collaborator.clone())
            .collect()
    }

    /// The created collaborators of `organization`, borrowed, in creation order.
    pub(crate) fn collaborators<'a>(
        &'a self,
        organization: &'a str,
    ) -> impl Iterator<Item = &'a Collaborator> + 'a {
        self.of(Some(organization)).map(|entry| &entry.collaborator)
    }

    /// The request bodies of the created users, in creation order.
    pub(crate) fn requests(&self, organization: Option<&str>) -> Vec<NewOemUser> {
        self.of(organization)
            .map(|entry| entry.request.clone())
            .collect()
    }

    /// The OEM secret of every created user, in creation order.
    pub(crate) fn secrets(&self, organization: Option<&str>) -> Vec<StoredSecret> {
        self.of(organization)
            .map(|entry| StoredSecret {
                organization: entry.organization.clone(),
                email: email_of(&entry.collaborator).to_owned(),
                collaborator_id: entry.collaborator.id.clone(),
                oem_secret: entry.oem_secret.clone(),
                refresh_count: entry.refresh_count,
            })
            .collect()
    }

    fn of(&self, organization: Option<&str>) -> impl Iterator<Item = &Entry> {
        self.created
            .iter()
            .filter(move |entry| organization.is_none_or(|org| entry.organization == org))
    }

    /// Gives the user `user_id` (its collaborator's `id` or its `user.id`) of `organization` a
    /// new OEM secret, forgetting the old one: the collaborator and the new secret.
    pub(crate) fn refresh_secret(
        &mut self,
        organization: &str,
        user_id: &str,
        new_secret: String,
    ) -> Option<(Collaborator, String)> {
        let entry = self.created.iter_mut().find(|entry| {
            entry.organization == organization
                && (entry.collaborator.id == user_id
                    || entry
                        .collaborator
                        .user
                        .as_ref()
                        .and_then(|u| u.id.as_deref())
                        == Some(user_id))
        })?;
        entry.oem_secret = new_secret.clone();
        entry.refresh_count += 1;
        Some((entry.collaborator.clone(), new_secret))
    }

    /// Forgets every user.
    pub(crate) fn clear(&mut self) {
        *self = Store::default();
    }
}

pub(crate) fn email_of(collaborator: &Collaborator) -> &str {
    collaborator
        .user
        .as_ref()
        .and_then(|user| user.email.as_deref())
        .unwrap_or_default()
}
