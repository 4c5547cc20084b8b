//! OpenAPI document → Rust client source, with progenitor.
//!
//! progenitor accepts less than OpenAPI allows. What it cannot take is left
//! out here, with a warning, rather than in the converter: the OpenAPI
//! snapshot stays a faithful picture of the export, and this module is the one
//! place that knows progenitor's limits.
//! - `multipart/form-data` request bodies abort generation of the whole document.
//! - More than one success type panics (`response_types.len() <= 1`); the
//!   converter already keeps one success response per operation.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::error::{Error, Result};

/// How to generate the client.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// A Rust path for progenitor's "inner" client state. When set, the
    /// crate must implement `progenitor_client::ClientHooks` for the generated
    /// `Client`; this is how the handwritten layer adds auth, retries and rate limits.
    pub inner_type: Option<String>,
}

/// Generates the client's Rust source, formatted with prettyplease.
/// `file` names the spec in error messages.
pub fn generate_rust(
    document: &Value,
    options: &GenerateOptions,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<String> {
    let mut document = document.clone();
    drop_unsupported_operations(&mut document, file, warnings);
    let spec: openapiv3::OpenAPI = serde_json::from_value(document).map_err(|e| {
        Error::file(
            file,
            format!("the converted document is not valid OpenAPI 3.0: {e}"),
        )
    })?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq");
    if let Some(inner) = &options.inner_type {
        let inner: proc_macro2::TokenStream = inner.parse().map_err(|e| {
            Error::file(
                file,
                format!("inner type `{inner}` is not a Rust path: {e}"),
            )
        })?;
        settings
            .with_inner_type(inner)
            .with_hooks(HooksMode::Expected);
    }

    // progenitor asserts on some inputs it does not support. Those must reach
    // the maintainer as a build error naming the spec, not as a backtrace.
    let generated = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings).generate_tokens(&spec)
    }))
    .map_err(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown reason".into());
        Error::file(
            file,
            format!("progenitor could not generate a client: {reason}"),
        )
    })?
    .map_err(|e| Error::file(file, format!("progenitor could not generate a client: {e}")))?;
    let syntax: syn::File = syn::parse2(generated).map_err(|e| {
        Error::file(
            file,
            format!("progenitor produced code that does not parse: {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&syntax))
}

fn drop_unsupported_operations(document: &mut Value, file: &str, warnings: &mut Vec<String>) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        item.retain(|method, operation| {
            let multipart = operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_some_and(|content| content.keys().any(|c| c.starts_with("multipart/")));
            if multipart {
                warnings.push(format!(
                    "{file}: `{} {path}` left out of the client: progenitor cannot send multipart/form-data bodies",
                    method.to_ascii_uppercase()
                ));
            }
            !multipart
        });
    }
    paths.retain(|_, item| item.as_object().is_none_or(|o| !o.is_empty()));
}
