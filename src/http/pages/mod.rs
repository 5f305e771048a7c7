//! The web pages (Vietnamese first, English second): they render the same typed views the API
//! serialises, through the same actions. Built by the web issue; the module exists so the
//! API and the pages never share a file.
