//! The leadership page: who the releases name, in which role, and who holds each role now.
//!
//! Releases only say who was named when, so the page reads them newest first: the first person
//! named in a single-holder role (a Chief Financial Officer) holds it now, and everyone named in
//! that role before them held it earlier and was succeeded by the next one named. Seats that
//! many hold at once (directors) are never "succeeded". A role written "Former …" is never
//! current. With the June 2003 release naming Rose Marcario (appointed) before David Fractor
//! (replaced), and the November 2003 release naming Robert Chilton, the CFO line reads
//! Chilton (current) ← Marcario ← Fractor.

use std::collections::BTreeMap;

use serde::Serialize;

use super::SiteData;
use super::format;
use super::views::release_url;

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub roles: Vec<RoleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub role: String,
    pub current: bool,
    pub succeeded_by: Option<String>,
    /// The most recent release naming the person in this role.
    pub release_title: String,
    pub release_url: String,
    pub date_long: String,
}

/// The people of the site, split into those holding a current role and those who do not,
/// each most recently named first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Leadership {
    pub current: Vec<PersonView>,
    pub former: Vec<PersonView>,
}

/// `Chief Financial Officer` and `former chief financial officer` are the same role.
fn role_key(role: &str) -> (String, bool) {
    let lower = role.trim().to_lowercase();
    match lower.strip_prefix("former ") {
        Some(rest) => (rest.trim().to_string(), true),
        None => (lower, false),
    }
}

/// Board seats and the like, which several people hold at the same time.
fn is_shared_role(key: &str) -> bool {
    key == "director"
        || key.contains("board member")
        || key.contains("member of the board")
        || (key.ends_with(" director") && !key.contains(" of "))
}

pub fn leadership(data: &SiteData) -> Leadership {
    // Newest mention first: (name, role key) → the person's entry, in first-seen order.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut entries: BTreeMap<(String, String), RoleView> = BTreeMap::new();
    let mut holders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for release in &data.releases {
        for person in &release.front.people {
            let (key, former) = role_key(&person.role);
            let id = (person.name.clone(), key.clone());
            let role_holders = holders.entry(key.clone()).or_default();
            if !former && !role_holders.contains(&person.name) {
                role_holders.push(person.name.clone());
            }
            if entries.contains_key(&id) {
                continue;
            }
            order.push(id.clone());
            entries.insert(
                id,
                RoleView {
                    role: person.role.clone(),
                    current: !former,
                    succeeded_by: None,
                    release_title: release.front.title.clone(),
                    release_url: release_url(release),
                    date_long: format::long_date(release.front.date),
                },
            );
        }
    }
    for ((name, key), entry) in entries.iter_mut() {
        if is_shared_role(key) {
            continue;
        }
        let role_holders = &holders[key];
        match role_holders.iter().position(|holder| holder == name) {
            Some(0) => {}
            Some(at) => {
                entry.current = false;
                entry.succeeded_by = Some(role_holders[at - 1].clone());
            }
            None => {
                entry.current = false;
                entry.succeeded_by = role_holders.first().cloned();
            }
        }
    }
    let mut people: Vec<PersonView> = Vec::new();
    for id in &order {
        let role = entries[id].clone();
        match people.iter_mut().find(|person| person.name == id.0) {
            Some(person) => person.roles.push(role),
            None => people.push(PersonView {
                name: id.0.clone(),
                roles: vec![role],
            }),
        }
    }
    let (current, former) = people
        .into_iter()
        .partition(|person| person.roles.iter().any(|role| role.current));
    Leadership { current, former }
}
