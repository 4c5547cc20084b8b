//! The client generated at build time from the Postman collection in `spec/`.
//!
//! Nothing in this module is written by hand: `build.rs` converts the
//! collection to OpenAPI and runs progenitor, and the result is included here.
//! The reviewed copy of this code is `spec/snapshots/generated.rs`.
//!
//! Reach the raw operations through [`crate::Client::generated`]; every request
//! still goes through the crate's transport (auth, rate limits, retries).

#![allow(missing_docs, unused_imports, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/zoom_client.rs"));
