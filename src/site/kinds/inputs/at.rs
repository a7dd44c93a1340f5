//! [`At`]: how an output names a release, an event or a page of the site's own.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// The `index`th release (newest first), event (in the order of their start) or page of the
/// site's own (in URL order).
///
/// Hashes to nothing: where a thing is in its list says nothing about what an output shows of
/// it (a new release moves every older one down), and what it shows is hashed through the
/// input that names it.
pub struct At<T> {
    /// Read only by [`super`], which opens it for what the output declared.
    pub(super) index: usize,
    of: PhantomData<fn() -> T>,
}

impl<T> At<T> {
    pub fn new(index: usize) -> At<T> {
        At {
            index,
            of: PhantomData,
        }
    }

    /// Every one of a list of `count`.
    pub fn all(count: usize) -> impl Iterator<Item = At<T>> {
        (0..count).map(At::new)
    }

    /// The one before (a newer release).
    pub fn before(self) -> Option<At<T>> {
        self.index.checked_sub(1).map(At::new)
    }

    /// The one after (an older release).
    pub fn after(self) -> At<T> {
        At::new(self.index + 1)
    }
}

impl<T> Hash for At<T> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl<T> Clone for At<T> {
    fn clone(&self) -> At<T> {
        *self
    }
}

impl<T> Copy for At<T> {}

impl<T> PartialEq for At<T> {
    fn eq(&self, other: &At<T>) -> bool {
        self.index == other.index
    }
}

impl<T> fmt::Debug for At<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "At({})", self.index)
    }
}
