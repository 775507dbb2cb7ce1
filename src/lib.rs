//! KeyScope's core: everything KeyScope decides, in plain Rust with no browser types.
//!
//! Where things live:
//! - [`ids`]: what a nuget.org package id is, and a case-folded index of an owner's ids.
//! - [`pattern`]: parsing, validating and matching glob patterns exactly as nuget.org does.
//! - [`lint`]: the errors and warnings KeyScope explains for a pattern (the verdict).
//! - [`scope`]: the actions a key can be granted, by id and by the page's description.
//! - [`page`]: the shape of the page's `initialData` (the only module that knows it).
//! - [`subjects`]: what a create/edit form will submit, nuget.org's rule.
//! - [`coverage`]: which keys cover which packages with which actions.
//! - [`preview`]: the preview of a pending key (counts, subjects, actions, edit diff, id list).
//! - [`engine`]: the one application state; answers the content script's requests.
//! - [`i18n`]: the words KeyScope shows, in English or German (`_locales/`).
//! - [`ui`]: what KeyScope draws, as element trees the content script materialises.
//! - [`guard`]: the one-time secret guard's state machine.
//! - [`review`]: the coverage review reviewers open under the key list.
//! - [`request_guard`]: what KeyScope says before a request that changes a key goes out.
//! - `web` (wasm32 only): the thin bridge between the browser and this core.
//! - [`cli`]: the `keyscope` command-line tool.

pub mod cli;
pub mod coverage;
pub mod engine;
pub mod guard;
pub mod i18n;
pub mod ids;
pub mod lint;
pub mod page;
pub mod pattern;
pub mod preview;
pub mod request_guard;
pub mod review;
pub mod scope;
pub mod subjects;
pub mod ui;

#[cfg(target_arch = "wasm32")]
mod web;
