//! What every page shares: the language (`?lang=`, then the `lang` cookie, Vietnamese by
//! default), its interface text, the site's address, the
//! static files, and the links of the language switch and the canonical URL.

use std::future::{ready, Ready};

use actix_session::SessionExt;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use fluent_bundle::FluentValue;

use super::assets::{assets, Assets};
use super::texts::{texts, Texts};
use crate::catalog::AppContext;
use crate::error::Lang;
use crate::http::session;

/// The logged-in user, as the session holds them (for the header).
pub struct SessionUser {
    /// The login name.
    pub name: String,
    /// The name shown (full name, else the login name).
    pub display: String,
    /// The session's CSRF token, for the logout button.
    pub csrf: String,
}

/// Query parameters that change what a page shows (the search's), kept in canonical links.
const PAGE_PARAMS: &[&str] = &[
    "q",
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "frequency",
    "place",
    "sort",
    "page",
    // The open-data catalogue's filters and the date of its figures.
    "owner_org",
    "status",
    "as_of",
];

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// The shared part of every page (the base template renders it).
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// Its interface text.
    pub texts: &'static Texts,
    /// The static files.
    pub assets: &'static Assets,
    /// The public address of the portal, without a trailing slash.
    pub site_url: String,
    /// The request's path.
    pub path: String,
    /// The request's query pairs, `lang` left out.
    pub query: Vec<(String, String)>,
    /// Set when `?lang=` chose the language: the reply stores it in the cookie.
    pub remember: Option<Lang>,
    /// The logged-in user, if any.
    pub user: Option<SessionUser>,
}

impl Chrome {
    /// The chrome of a request.
    pub fn of(req: &HttpRequest) -> Chrome {
        let mut asked = None;
        let mut query = Vec::new();
        for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
            if key == "lang" {
                asked = asked.or(Lang::from_tag(&value));
            } else {
                query.push((key.into_owned(), value.into_owned()));
            }
        }
        let remembered = req
            .cookie(LANG_COOKIE)
            .and_then(|c| Lang::from_tag(c.value()));
        // Not `Accept-Language`: most browsers in Vietnam run with an English interface and
        // send `en-US`, and the issue asks for Vietnamese by default. The switch sets the
        // cookie; the API (for programs) still honours the header.
        let lang = asked.or(remembered).unwrap_or_default();
        let site_url = req
            .app_data::<web::Data<AppContext>>()
            .map(|ctx| ctx.site_url.clone())
            .unwrap_or_default();
        let state = req.get_session();
        let user = session::session_user_id(&state).map(|_| {
            let text = |key: &str| state.get::<String>(key).ok().flatten().unwrap_or_default();
            let name = text(session::USER_NAME);
            let display = text(session::DISPLAY_NAME);
            SessionUser {
                display: if display.is_empty() {
                    name.clone()
                } else {
                    display
                },
                name,
                csrf: text(session::CSRF),
            }
        });
        Chrome {
            user,
            lang,
            texts: texts(lang),
            assets: assets(),
            site_url,
            path: req.path().to_owned(),
            query,
            remember: asked.filter(|a| Some(*a) != remembered),
        }
    }

    /// The interface text `id`.
    pub fn t<'a>(&'a self, id: &'a str) -> &'a str {
        self.texts.get(id)
    }

    /// The interface text `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.texts
            .with(id, &[(name, FluentValue::from(value.to_string()))])
    }

    /// The interface text `id` with a count (plural rules apply).
    pub fn tn(&self, id: &str, count: impl std::borrow::Borrow<u64>) -> String {
        self.texts
            .with(id, &[("count", FluentValue::from(*count.borrow()))])
    }

    /// The `lang` attribute of the page.
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The other language, offered by the switch.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// This page in the other language (the same path and query).
    pub fn switch_url(&self) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            pairs.append_pair(k, v);
        }
        pairs.append_pair("lang", self.other_lang().code());
        format!("{}?{}", self.path, pairs.finish())
    }

    /// The canonical address of this page: the path and the parameters that change what it
    /// shows (a search's), without `lang` or tracking parameters such as `utm_source`.
    pub fn canonical(&self) -> String {
        let kept: Vec<&(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| PAGE_PARAMS.contains(&k.as_str()))
            .collect();
        if kept.is_empty() {
            return format!("{}{}", self.site_url, self.path);
        }
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in kept {
            pairs.append_pair(k, v);
        }
        format!("{}{}?{}", self.site_url, self.path, pairs.finish())
    }

    /// The value of a query parameter, empty when absent.
    pub fn param(&self, name: &str) -> &str {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The hashed URL of a static file.
    pub fn asset(&self, name: &str) -> &str {
        self.assets.url(name)
    }

    /// The URL of an icon of the sprite (`icons.svg#name`).
    pub fn icon(&self, name: &str) -> String {
        format!("{}#{name}", self.assets.url("icons.svg"))
    }

    /// Picks the English text when the page is English and one exists.
    pub fn pick<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        if self.lang == Lang::En && !en.trim().is_empty() {
            en
        } else {
            vi
        }
    }

    /// The cookie to set, when `?lang=` chose a language the cookie did not hold.
    pub fn lang_cookie(&self) -> Option<Cookie<'static>> {
        let lang = self.remember?;
        let mut cookie = Cookie::new(LANG_COOKIE, lang.code());
        cookie.set_path("/");
        cookie.set_same_site(SameSite::Lax);
        cookie.set_http_only(true);
        cookie.set_max_age(actix_web::cookie::time::Duration::days(365));
        Some(cookie)
    }
}

impl FromRequest for Chrome {
    type Error = actix_web::Error;
    type Future = Ready<Result<Chrome, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(Chrome::of(req)))
    }
}
