//! OpenAPI document → Rust client source, with progenitor.
//!
//! progenitor accepts less than OpenAPI allows. What it cannot take is left
//! out here, with a warning, rather than in the converter: the OpenAPI
//! snapshot stays a faithful picture of the export, and this module is the one
//! place that knows progenitor's limits.
//! - `multipart/form-data` request bodies abort generation of the whole document.
//! - More than one success type panics (`response_types.len() <= 1`); the
//!   converter already keeps one success response per operation.

use std::collections::BTreeMap;
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
    /// Types whose `Debug` must not print their contents (chat text, file
    /// download URLs carrying credentials), with the Rust fields it may print.
    pub redacted_debug: BTreeMap<String, Vec<String>>,
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
    let spec: openapiv3::OpenAPI = serde_json::from_value(document)
        .map_err(|e| Error::file(file, format!("the converted document is not valid OpenAPI 3.0: {e}")))?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq");
    if let Some(inner) = &options.inner_type {
        let inner: proc_macro2::TokenStream = inner
            .parse()
            .map_err(|e| Error::file(file, format!("inner type `{inner}` is not a Rust path: {e}")))?;
        settings.with_inner_type(inner).with_hooks(HooksMode::Expected);
    }

    // progenitor asserts on some inputs it does not support. Those must reach
    // the maintainer as a build error naming the spec, not as a backtrace.
    let generated = catch_unwind(AssertUnwindSafe(|| Generator::new(&settings).generate_tokens(&spec)))
        .map_err(|panic| {
            let reason = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown reason".into());
            Error::file(file, format!("progenitor could not generate a client: {reason}"))
        })?
        .map_err(|e| Error::file(file, format!("progenitor could not generate a client: {e}")))?;
    let mut syntax: syn::File = syn::parse2(generated)
        .map_err(|e| Error::file(file, format!("progenitor produced code that does not parse: {e}")))?;
    redact_debug(&mut syntax, &options.redacted_debug, file, warnings)?;
    Ok(prettyplease::unparse(&syntax))
}

/// Replaces the derived `Debug` of the listed types in `mod types` with one
/// that prints only the allowed fields, so that chat content cannot reach
/// logs through `{:?}`.
fn redact_debug(
    syntax: &mut syn::File,
    redacted: &BTreeMap<String, Vec<String>>,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<()> {
    if redacted.is_empty() {
        return Ok(());
    }
    let types = syntax.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    });
    let Some(types) = types else {
        return Err(Error::file(file, "the generated code has no `types` module to redact"));
    };
    let mut impls: Vec<syn::Item> = Vec::new();
    for (name, allowed) in redacted {
        let found = types.iter_mut().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name.as_str() => Some(s),
            _ => None,
        });
        let Some(strukt) = found else {
            warnings.push(format!(
                "{file}: `redacted_debug` names `{name}`, which this build does not generate"
            ));
            continue;
        };
        for field in allowed {
            let present = strukt
                .fields
                .iter()
                .any(|f| f.ident.as_ref().is_some_and(|i| i == field.as_str()));
            if !present {
                return Err(Error::file(
                    file,
                    format!("`redacted_debug`: `{name}` has no field `{field}`"),
                ));
            }
        }
        remove_debug_derive(&mut strukt.attrs, name, file)?;
        let ident = &strukt.ident;
        let fields = allowed
            .iter()
            .map(|f| syn::Ident::new(f, proc_macro2::Span::call_site()));
        let labels = allowed.iter();
        impls.push(syn::parse_quote! {
            /// Prints only fields that carry no chat content or credentials.
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name)
                        #(.field(#labels, &self.#fields))*
                        .finish_non_exhaustive()
                }
            }
        });
    }
    types.extend(impls);

    // typify's builders for these types hold the same content while a value is built.
    let builders = types.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    });
    if let Some(builders) = builders {
        let mut builder_impls: Vec<syn::Item> = Vec::new();
        for name in redacted.keys() {
            let found = builders.iter_mut().find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == name.as_str() => Some(s),
                _ => None,
            });
            let Some(strukt) = found else { continue };
            remove_debug_derive(&mut strukt.attrs, name, file)?;
            let ident = &strukt.ident;
            builder_impls.push(syn::parse_quote! {
                /// Prints no fields: they may hold chat content or credentials.
                impl ::std::fmt::Debug for #ident {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#name).finish_non_exhaustive()
                    }
                }
            });
        }
        builders.extend(builder_impls);
    }
    Ok(())
}

fn remove_debug_derive(attrs: &mut [syn::Attribute], name: &str, file: &str) -> Result<()> {
    for attr in attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let derives = attr
            .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| Error::file(file, format!("cannot read the derives of `{name}`: {e}")))?;
        let kept = derives
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Debug"));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    Ok(())
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
