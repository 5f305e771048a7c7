//! The web pages (Vietnamese first, English second): they render the same typed views the API
//! serialises, through the same actions. Built by the web issue; the module exists so the
//! API and the pages never share a file.
//!
//! An error becomes a page with the same code and words as under `/api`:
//! `crate::error::render(&error, super::errors::lang_of(&req))` gives its status, code and
//! message (and per-field messages) in the caller's language.
