//! A refused form, the one way every page shows it: the page is rendered
//! again with a DKFDS error summary at the top (in `base.html`) that links
//! to each field, the message at the field, everything typed kept, in the
//! person's language, and the header still showing who is signed in.
//!
//! A page names each of its forms (`status`, `change`, `role`, …); a field's
//! input has the id `{form}-{field}`, where `field` is the form field's
//! name and the domain's `ValidationError::field`. Templates ask for a
//! field's message with `field_error("{form}-{field}")`, for its class with
//! `error_class(…)`, and for what was typed with `typed(form, name, default)`
//! and `typed_all(form, name)` (functions of the template environment,
//! [`register`]).

use std::collections::BTreeMap;

use axum::extract::{FromRequest, RawForm, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Value;
use minijinja::{Environment, State};
use samspil_domain::{BrokenRule, ValidationError};
use serde::Serialize;

use crate::error::AppError;
use crate::i18n::Lang;

/// What a person typed into a form, by field name (a ticked box list sends
/// one value per box), without the CSRF token.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Typed(BTreeMap<String, Vec<String>>);

impl Typed {
    pub fn from_urlencoded(body: &[u8]) -> Self {
        let mut typed = Typed::default();
        for (name, value) in url::form_urlencoded::parse(body) {
            if name != crate::auth::CSRF_FIELD {
                typed.push(&name, value.into_owned());
            }
        }
        typed
    }

    pub fn push(&mut self, name: &str, value: String) {
        self.0.entry(name.to_owned()).or_default().push(value);
    }

    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name)?.first().map(String::as_str)
    }

    /// Every value of a field (the ticked boxes of a list).
    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// Takes every value of a field out, so that a page can read a ticked
    /// list into one field of a type the API shares.
    pub fn take(&mut self, name: &str) -> Vec<String> {
        self.0.remove(name).unwrap_or_default()
    }

    /// The form as `application/x-www-form-urlencoded` again.
    fn encoded(&self) -> String {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (name, values) in &self.0 {
            for value in values {
                serializer.append_pair(name, value);
            }
        }
        serializer.finish()
    }
}

/// What was typed, for a page that reads it into its type itself.
impl<S: Send + Sync> FromRequest<S> for Typed {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let RawForm(bytes) = RawForm::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Typed::from_urlencoded(&bytes))
    }
}

/// A form field the server could not read into its type (letters in a
/// number, an unknown choice): the field's name and the rule it broke.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub field: String,
    pub rule: BrokenRule,
}

/// A page form read into `T` as strictly as the API reads its body, or the
/// field that could not be read; and what was typed either way, to show it
/// again. Never rejects a request: a page decides how to show the refusal.
pub struct PageForm<T> {
    pub input: Result<T, Unreadable>,
    pub typed: Typed,
}

impl<S, T> FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let RawForm(bytes) = RawForm::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let typed = Typed::from_urlencoded(&bytes);
        let input = read_form(&typed);
        Ok(PageForm { input, typed })
    }
}

/// Reads the typed fields into `T`, naming the field that did not fit.
pub fn read_form<T: serde::de::DeserializeOwned>(typed: &Typed) -> Result<T, Unreadable> {
    let encoded = typed.encoded();
    let deserializer =
        serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let detail = error.into_inner().to_string();
        let typed_value = typed.get(&field).unwrap_or_default().to_owned();
        Unreadable {
            rule: unreadable_rule(&detail, typed_value),
            field: if field == "." { String::new() } else { field },
        }
    })
}

/// The rule behind a deserializer's sentence: a number that is not one, a
/// choice that is not offered, or a field the form does not have.
fn unreadable_rule(detail: &str, typed: String) -> BrokenRule {
    if detail.contains("digit") || detail.contains("number") || detail.contains("float") {
        BrokenRule::NotANumber { typed }
    } else if detail.contains("unknown field") {
        BrokenRule::UnknownField
    } else if detail.contains("missing field") {
        BrokenRule::Required
    } else {
        BrokenRule::UnknownChoice { typed }
    }
}

/// One field's message.
#[derive(Debug, Clone, Serialize)]
struct FieldMessage {
    /// The input's id (`{form}-{field}`), or the form's own id for a
    /// refusal of the whole form.
    id: String,
    message: String,
}

/// A refused form: which form of the page, the message of each field, and
/// what was typed.
#[derive(Debug, Clone)]
pub struct Refusal {
    form: String,
    messages: Vec<FieldMessage>,
    typed: Typed,
}

impl Refusal {
    pub fn new(form: &str, typed: Typed) -> Self {
        Refusal {
            form: form.to_owned(),
            messages: Vec::new(),
            typed,
        }
    }

    /// Adds a field's message (an empty field: the form as a whole).
    pub fn field(mut self, field: &str, message: String) -> Self {
        let id = match field {
            "" => self.form.clone(),
            field => format!("{}-{field}", self.form),
        };
        self.messages.push(FieldMessage { id, message });
        self
    }

    /// A field that could not be read.
    pub fn unreadable(lang: Lang, form: &str, unreadable: Unreadable, typed: Typed) -> Self {
        let message = lang.rule_text(&unreadable.rule, &unreadable.field);
        Refusal::new(form, typed).field(&unreadable.field, message)
    }

    /// A refused write: a broken rule at its field, in the person's
    /// language (`{prefix}-{field}` texts where the rule has none of its
    /// own); an error that is not a refusal (not found, no access, the
    /// database down) stays an error and gets its page.
    pub fn of(
        error: AppError,
        lang: Lang,
        prefix: &str,
        form: &str,
        typed: Typed,
    ) -> Result<Self, AppError> {
        match error {
            AppError::Rule(invalid) => Ok(Self::rule(lang, prefix, form, &invalid, typed)),
            AppError::Invalid(_) | AppError::BadRequest(_) | AppError::Conflict(_) => {
                let message = error.message(lang);
                Ok(Refusal::new(form, typed).field("", message))
            }
            AppError::TooLarge => {
                let message = error.message(lang);
                Ok(Refusal::new(form, typed).field("", message))
            }
            other => Err(other),
        }
    }

    /// A broken rule at its field.
    pub fn rule(
        lang: Lang,
        prefix: &str,
        form: &str,
        invalid: &ValidationError,
        typed: Typed,
    ) -> Self {
        Refusal::new(form, typed).field(invalid.field, lang.refusal(prefix, invalid))
    }

    /// The form's name.
    pub fn form(&self) -> &str {
        &self.form
    }

    /// The messages, for tests and logs.
    /// What was typed into the refused form.
    pub fn typed(&self) -> &Typed {
        &self.typed
    }

    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().map(|m| m.message.as_str())
    }

    /// What the templates get as `refused`.
    pub fn view(&self) -> Value {
        let at: BTreeMap<&str, &str> = self
            .messages
            .iter()
            .map(|m| (m.id.as_str(), m.message.as_str()))
            .collect();
        minijinja::context! {
            form => self.form,
            summary => self.messages,
            at,
            typed => self.typed.0,
        }
    }

    /// The page shown again: 422, the page's HTML.
    pub fn respond(html: Html<String>) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
    }
}

/// The template functions that read the page's `refused`.
pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_function("field_error", field_error);
    env.add_function("error_class", error_class);
    env.add_function("described_by", described_by);
    env.add_function("is_refused", is_refused);
    env.add_function("typed", typed);
    env.add_function("typed_all", typed_all);
}

fn message_at(state: &State, id: &str) -> Option<String> {
    let refused = state.lookup("refused")?;
    let message = refused
        .get_attr("at")
        .ok()?
        .get_item(&Value::from(id))
        .ok()?;
    (!message.is_undefined() && !message.is_none()).then(|| message.to_string())
}

/// `field_error("status-reason")`: the DKFDS error message of a field, or
/// nothing.
fn field_error(state: &State, id: &str) -> Value {
    let Some(message) = message_at(state, id) else {
        return Value::from_safe_string(String::new());
    };
    let lang = state
        .lookup("lang")
        .and_then(|value| value.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::Da);
    let label = lang.text("form-error-label", &[]);
    Value::from_safe_string(format!(
        "<span class=\"form-error-message\" id=\"{}-error\"><span class=\"sr-only\">{}:</span> {}</span>",
        escape(id),
        escape(&label),
        escape(&message)
    ))
}

/// `error_class("status-reason")`: ` form-error` for the field's
/// `form-group` when it was refused.
fn error_class(state: &State, id: &str) -> &'static str {
    match message_at(state, id) {
        Some(_) => " form-error",
        None => "",
    }
}

/// `described_by("status-reason", "status-reason-hint")`: the ids for
/// `aria-describedby`, the error message's first when there is one.
fn described_by(state: &State, id: &str, hint: Option<&str>) -> String {
    let error = message_at(state, id).map(|_| format!("{id}-error"));
    [error.as_deref(), hint]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `is_refused("status")`: whether the refused form is this one (so its fields
/// show what was typed rather than what is stored).
fn is_refused(state: &State, form: &str) -> bool {
    state
        .lookup("refused")
        .and_then(|r| r.get_attr("form").ok())
        .is_some_and(|f| f.as_str() == Some(form))
}

/// `typed("status", "reason", default)`: what was typed into a field of the
/// refused form, or the default for any other form.
fn typed(state: &State, form: &str, name: &str, default: Option<Value>) -> Value {
    let fallback = default.unwrap_or_else(|| Value::from(""));
    if !is_refused(state, form) {
        return fallback;
    }
    typed_all(state, form, name)
        .into_iter()
        .next()
        .map(Value::from)
        .unwrap_or_else(|| Value::from(""))
}

/// `typed_all("answers", "q-3")`: every value typed into a field (ticked
/// boxes) of the refused form.
fn typed_all(state: &State, form: &str, name: &str) -> Vec<String> {
    if !is_refused(state, form) {
        return Vec::new();
    }
    state
        .lookup("refused")
        .and_then(|r| r.get_attr("typed").ok())
        .and_then(|t| t.get_item(&Value::from(name)).ok())
        .and_then(|values| {
            values
                .try_iter()
                .ok()
                .map(|i| i.map(|v| v.to_string()).collect())
        })
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct RoleForm {
        #[serde(default)]
        name: String,
        #[serde(default, deserialize_with = "crate::pages::empty_as_none")]
        max_holders: Option<u32>,
    }

    #[test]
    fn an_unreadable_field_is_named_with_its_rule_and_the_rest_is_kept() {
        let typed = Typed::from_urlencoded(b"csrf_token=x&name=Dataansvarlig&max_holders=to");
        let unreadable = read_form::<RoleForm>(&typed).expect_err("'to' is no number");
        assert_eq!(unreadable.field, "max_holders");
        assert_eq!(
            unreadable.rule,
            BrokenRule::NotANumber { typed: "to".into() }
        );
        assert_eq!(typed.get("name"), Some("Dataansvarlig"));
        assert_eq!(typed.get("csrf_token"), None);
        let refusal = Refusal::unreadable(Lang::Da, "role", unreadable, typed);
        let message: Vec<&str> = refusal.messages().collect();
        assert_eq!(
            message,
            ["»to« er ikke et tal. Skriv tallet med cifre, fx 2."]
        );
    }

    #[test]
    fn a_readable_form_is_read() {
        let typed = Typed::from_urlencoded(b"name=A&max_holders=");
        let form: RoleForm = read_form(&typed).expect("readable");
        assert_eq!(form.max_holders, None);
    }
}
