//! A browser-like client for the staff pages: keeps cookies, follows no redirect (tests read
//! them), posts forms with the page's `Origin` as a browser does, reads CSRF tokens, logs in.

use reqwest::redirect::Policy;
use reqwest::Client;

use crate::helpers::TestApp;

/// The password `TestApp::create_user` gives.
pub const PASSWORD: &str = "mật-khẩu-đủ-dài";

/// A browser-like client: keeps cookies, does not follow redirects (tests read them).
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A reply as a test reads it.
pub struct Page {
    pub status: u16,
    pub location: String,
    pub set_cookie: String,
    pub body: String,
}

/// Reads a reply.
pub async fn read(response: reqwest::Response) -> Page {
    let header = |name: &str| {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (location, set_cookie) = (header("location"), header("set-cookie"));
    Page {
        status: response.status().as_u16(),
        location,
        set_cookie,
        body: response.text().await.unwrap(),
    }
}

pub async fn get(client: &Client, app: &TestApp, path: &str) -> Page {
    read(
        client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// A form posted from a page of the portal (a browser sends its `Origin`).
pub async fn post(client: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Page {
    read(
        client
            .post(format!("{}{path}", app.address))
            .header("Origin", &app.address)
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The CSRF token of the first form of a page.
pub fn csrf(page: &Page) -> String {
    let marker = r#"name="_csrf_token" value=""#;
    let start = page.body.find(marker).expect("a CSRF field") + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].to_owned()
}

/// The login form's reply to `login` and `password`.
pub async fn try_login(client: &Client, app: &TestApp, login: &str, password: &str) -> Page {
    let form = get(client, app, "/user/login").await;
    assert_eq!(form.status, 200, "{}", form.body);
    post(
        client,
        app,
        "/user/login",
        &[("login", login), ("password", password)],
    )
    .await
}

/// A client logged in as `name`.
pub async fn logged_in(app: &TestApp, name: &str) -> Client {
    let client = browser();
    let reply = try_login(&client, app, name, PASSWORD).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    client
}
