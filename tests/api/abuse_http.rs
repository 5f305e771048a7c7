//! Findings of the security probe (issue 7) in the HTTP layer: unreadable credentials, request
//! bodies that never finish, and floods of anonymous calls.

use reqwest::header::HeaderValue;

use crate::both_backends;
use crate::helpers::{spawn_app, Backend, Reply};

both_backends!(unreadable_credentials_are_refused_not_taken_as_anonymous);

async fn unreadable_credentials_are_refused_not_taken_as_anonymous(backend: Backend) {
    let app = spawn_app(backend).await;
    // Latin-1 "khóa" and raw UTF-8 bytes: legal on the wire (obs-text), unreadable as a token.
    for value in [&b"kh\xf3a"[..], "khóa-bí-mật".as_bytes()] {
        for header in ["Authorization", "X-CKAN-API-Key"] {
            let response = app
                .client
                .get(format!("{}/api/3/action/package_list", app.address))
                .header(header, HeaderValue::from_bytes(value).unwrap())
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.json().await.unwrap();
            let error = Reply { status, body }.err(403);
            assert_eq!(error["code"], "not_authorized", "{header}");
        }
    }
    // Sent but empty still means nobody, as CKAN clients send an empty key when they have none.
    app.get("package_list", Some(""), &[]).await.ok();
}
