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

use crate::format;
use crate::model::Release;
use crate::urls;

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
    /// Written "Former …" in the release.
    #[serde(skip)]
    pub former: bool,
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

pub fn leadership(releases: &[Release]) -> Leadership {
    // Newest mention first: (name, role key) → the person's entry, in first-seen order.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut entries: BTreeMap<(String, String), RoleView> = BTreeMap::new();
    let mut holders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for release in releases {
        // Holders first, so that "Former CFO" named before the new CFO in the same release is
        // still succeeded by them.
        for person in &release.front.people {
            let (key, former) = role_key(&person.role);
            let role_holders = holders.entry(key).or_default();
            if !former && !role_holders.contains(&person.name) {
                role_holders.push(person.name.clone());
            }
        }
        for person in &release.front.people {
            let (key, former) = role_key(&person.role);
            let id = (person.name.clone(), key.clone());
            if entries.contains_key(&id) {
                continue;
            }
            order.push(id.clone());
            entries.insert(
                id,
                RoleView {
                    role: person.role.clone(),
                    current: !former,
                    // The one named in the role nearest in time after this release.
                    succeeded_by: former.then(|| holders[&key].last().cloned()).flatten(),
                    release_title: release.front.title.clone(),
                    release_url: urls::release(release),
                    date_long: format::long_date(release.front.date),
                    former,
                },
            );
        }
    }
    for ((name, key), entry) in entries.iter_mut() {
        if entry.former || is_shared_role(key) {
            continue;
        }
        let role_holders = &holders[key];
        if let Some(at) = role_holders.iter().position(|holder| holder == name)
            && at > 0
        {
            entry.current = false;
            entry.succeeded_by = Some(role_holders[at - 1].clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn release(date: &str, people: &[(&str, &str)]) -> Release {
        let people: String = people
            .iter()
            .map(|(name, role)| format!("  - {{ name: {name}, role: {role} }}\n"))
            .collect();
        let text = format!(
            "---\ntitle: T\ndate: {date}\ncategory: management\ncompany: C\nticker: X\nsource: {{ file: raw/x.txt, sha256: x }}\npeople:\n{people}---\n\nBody\n"
        );
        Release::parse(Path::new(&format!("{date}-t.md")), &text).unwrap()
    }

    fn roles(people: &[PersonView]) -> Vec<String> {
        people
            .iter()
            .flat_map(|person| {
                person.roles.iter().map(move |role| {
                    format!("{}: {} <- {:?}", person.name, role.role, role.succeeded_by)
                })
            })
            .collect()
    }

    #[test]
    fn a_cfo_replaced_in_a_release_is_succeeded_by_the_one_appointed() {
        for fractor_role in ["Former Chief Financial Officer", "Chief Financial Officer"] {
            let releases = [
                release(
                    "2003-11-14",
                    &[
                        ("Judi Irving", "CEO"),
                        ("Robert Chilton", "Chief Financial Officer"),
                    ],
                ),
                release(
                    "2003-06-27",
                    &[
                        ("Rose Marcario", "Chief Financial Officer"),
                        ("David Fractor", fractor_role),
                    ],
                ),
            ];
            let people = leadership(&releases);
            assert_eq!(
                roles(&people.current),
                [
                    "Judi Irving: CEO <- None",
                    "Robert Chilton: Chief Financial Officer <- None"
                ]
            );
            assert_eq!(
                roles(&people.former),
                [
                    "Rose Marcario: Chief Financial Officer <- Some(\"Robert Chilton\")"
                        .to_string(),
                    format!("David Fractor: {fractor_role} <- Some(\"Rose Marcario\")"),
                ]
            );
        }
    }

    #[test]
    fn directors_share_their_role() {
        let releases = [
            release("2003-06-01", &[("A", "Director")]),
            release("2003-05-19", &[("B", "Director"), ("C", "Director")]),
        ];
        let people = leadership(&releases);
        assert_eq!(people.current.len(), 3);
        assert!(people.former.is_empty());
    }
}
