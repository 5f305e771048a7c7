//! The API described for machines (`/api/openapi.json`, OpenAPI 3.1) and for people
//! (`/api/docs`), both written from the action specs, so they cannot drift from the API.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItemBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder,
    Required, ResponseBuilder, ServerBuilder,
};

use crate::catalog::action_specs::{ActionSpec, ParamKind, ParamSpec, ACTIONS};
use crate::catalog::AppContext;
use crate::error::AppError;

/// A parameter's schema, with its longest value (characters of text, items of a list).
fn schema_of(param: &ParamSpec) -> Schema {
    match param.kind {
        ParamKind::Text => ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(param.max)
            .into(),
        ParamKind::Integer => ObjectBuilder::new().schema_type(Type::Integer).into(),
        ParamKind::Boolean => ObjectBuilder::new().schema_type(Type::Boolean).into(),
        ParamKind::List => ArrayBuilder::new()
            .items(ObjectBuilder::new())
            .max_items(param.max)
            .into(),
        ParamKind::File => ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .into(),
    }
}

fn body_schema(spec: &ActionSpec) -> Schema {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for param in spec.params {
        object = object.property(param.name, schema_of(param));
        if param.required {
            object = object.required(param.name);
        }
    }
    object.into()
}

fn envelope(description: &str) -> utoipa::openapi::Response {
    let schema = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("help", ObjectBuilder::new().schema_type(Type::String))
        .property("success", ObjectBuilder::new().schema_type(Type::Boolean))
        .property("result", ObjectBuilder::new())
        .property("error", ObjectBuilder::new().schema_type(Type::Object));
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .build()
}

fn operation(spec: &ActionSpec, method: HttpMethod) -> utoipa::openapi::path::Operation {
    let mut op = OperationBuilder::new()
        .operation_id(Some(format!(
            "{}_{}",
            spec.name,
            if method == HttpMethod::Get {
                "get"
            } else {
                "post"
            }
        )))
        .summary(Some(spec.summary))
        .description(Some(format!(
            "Ai được gọi / Who may call: {}",
            spec.rule.describe()
        )))
        .tag(spec.name.split('_').next().unwrap_or("api"))
        .response("200", envelope("Thành công / Success"))
        .response("400", envelope("Yêu cầu không đọc được / Bad request"))
        .response("403", envelope("Không có quyền / Authorization Error"))
        .response("404", envelope("Không tìm thấy / Not Found Error"))
        .response(
            "409",
            envelope("Dữ liệu không hợp lệ, theo từng trường / Validation Error, per field"),
        );
    if method == HttpMethod::Get {
        for param in spec.params.iter().filter(|p| p.kind != ParamKind::File) {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(param.name)
                    .parameter_in(ParameterIn::Query)
                    .required(if param.required {
                        Required::True
                    } else {
                        Required::False
                    })
                    .description(Some(param.doc))
                    .schema(Some(schema_of(param))),
            );
        }
    } else {
        let mut body = RequestBodyBuilder::new().content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(body_schema(spec)))
                .build(),
        );
        if spec.accepts_upload() {
            body = body.content(
                "multipart/form-data",
                ContentBuilder::new()
                    .schema(Some(body_schema(spec)))
                    .build(),
            );
        }
        op = op.request_body(Some(body.build()));
    }
    if !spec.read_only {
        op = op.security(SecurityRequirement::new("api_token", Vec::<String>::new()));
    }
    op.build()
}

/// The OpenAPI document of the Action API.
pub fn document(site_url: &str) -> OpenApi {
    let mut paths = PathsBuilder::new();
    for spec in ACTIONS {
        let mut item =
            PathItemBuilder::new().operation(HttpMethod::Post, operation(spec, HttpMethod::Post));
        if spec.read_only {
            item = item.operation(HttpMethod::Get, operation(spec, HttpMethod::Get));
        }
        paths = paths.path(format!("/api/3/action/{}", spec.name), item.build());
    }
    let components = ComponentsBuilder::new()
        .security_scheme(
            "api_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "Khóa API (dataportal token create) / API token, raw or as `Bearer <token>`",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("dataportal — CKAN Action API v3")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "API của cổng dữ liệu mở, tương thích CKAN / The open-data portal's API, compatible with CKAN",
                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url(site_url).build()]))
        .paths(paths.build())
        .components(Some(components))
        .build()
}

/// `GET /api/openapi.json`.
pub async fn openapi_json(ctx: web::Data<AppContext>) -> HttpResponse {
    HttpResponse::Ok().json(document(&ctx.site_url))
}

/// The readable API page.
#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage<'a> {
    site_url: &'a str,
    actions: &'a [ActionSpec],
}

/// `GET /api/docs`.
pub async fn docs_page(req: HttpRequest, ctx: web::Data<AppContext>) -> HttpResponse {
    let page = ApiDocsPage {
        site_url: &ctx.site_url,
        actions: ACTIONS,
    };
    match page.render() {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            let error = AppError::Internal(anyhow::Error::new(e).context("rendering the API docs"));
            crate::http::errors::error_reply(&req, &error, None)
        }
    }
}
