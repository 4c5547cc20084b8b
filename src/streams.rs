//! The named stream types that `.pages()` and `.items()` return.
//!
//! Each wraps a boxed stream, so that the public API names a type callers can
//! store in a struct or return from a function, and the way the stream is
//! built can change without changing that type.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::BoxStream;

use crate::error::Error;
use crate::pagination::Page;

/// Pages of a report, one month window after another, from `.pages()`.
///
/// Lazy: nothing is requested before the first poll. Ends after the first error.
pub struct Pages<T> {
    inner: BoxStream<'static, Result<Page<T>, Error>>,
}

/// Items of a report, one at a time, from `.items()`.
///
/// Lazy: a page is fetched only when the items of the last one are used up,
/// so `StreamExt::take` fetches no page past the cap. Ends after the first error.
pub struct Items<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> Pages<T> {
    pub(crate) fn new(inner: BoxStream<'static, Result<Page<T>, Error>>) -> Self {
        Self { inner }
    }
}

impl<T> Items<T> {
    pub(crate) fn new(inner: BoxStream<'static, Result<T, Error>>) -> Self {
        Self { inner }
    }

    pub(crate) fn into_inner(self) -> BoxStream<'static, Result<T, Error>> {
        self.inner
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}
