//! The re-identification risk checklist an editor confirms before personal data is published:
//! a short list after the questions of a data protection impact assessment (Decree 13/2023
//! art. 24) that bear on open data. Every question must be answered; every confirmation must
//! be given, else nothing is recorded and nothing is published.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::params::{self, Errors};
use crate::catalog::Dict;
use crate::error::{AppResult, FieldCode};

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// A statement the editor must confirm (true).
    Confirm,
    /// A written answer of at least [`MIN_TEXT_CHARS`] characters.
    Text,
}

/// One question of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The key of its answer in `answers`.
    pub id: &'static str,
    /// How it is answered.
    pub kind: AnswerKind,
    /// The question in Vietnamese.
    pub vi: &'static str,
    /// The question in English.
    pub en: &'static str,
}

/// Shortest written answer: a reason, not a keystroke.
pub const MIN_TEXT_CHARS: usize = 10;

/// Longest written answer.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The checklist, in the order it is asked.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "purpose",
        kind: AnswerKind::Text,
        vi: "Vì sao dữ liệu cá nhân này cần được công bố, theo căn cứ pháp lý nào (hoặc vì sao phát hiện không phải dữ liệu cá nhân)?",
        en: "Why must this personal data be published, on what legal basis (or why the findings are not personal data)?",
    },
    Question {
        id: "minimised",
        kind: AnswerKind::Confirm,
        vi: "Mọi cột dữ liệu cá nhân không cần cho mục đích công bố đã được bỏ hoặc che.",
        en: "Every column of personal data not needed for the purpose has been removed or masked.",
    },
    Question {
        id: "linkage",
        kind: AnswerKind::Confirm,
        vi: "Đã cân nhắc khả năng nhận diện lại một người khi ghép dữ liệu này với dữ liệu công khai khác.",
        en: "The risk of re-identifying a person by combining this data with other public data has been considered.",
    },
    Question {
        id: "sensitive",
        kind: AnswerKind::Confirm,
        vi: "Dữ liệu không có dữ liệu cá nhân nhạy cảm (sức khỏe, tôn giáo, chính trị, tiền án, tài chính, vị trí của một người…).",
        en: "The data holds no sensitive personal data (health, religion, politics, criminal record, finances, a person's location…).",
    },
    Question {
        id: "accountable",
        kind: AnswerKind::Confirm,
        vi: "Tôi chịu trách nhiệm về quyết định công bố này thay mặt đơn vị.",
        en: "I take responsibility for this publication on behalf of my organisation.",
    },
];

/// Checks the `answers` of a review: an object (or its JSON text, as form-encoded clients
/// send it) with an answer to every question and nothing else. Messages go under
/// `answers.<question>`.
pub fn validate(answers: Option<&Value>) -> AppResult<Dict> {
    let mut errors = Errors::default();
    let parsed;
    let object = match answers {
        None | Some(Value::Null) => {
            errors.add("answers", params::missing());
            return errors.into_result().map(|()| Dict::new());
        }
        Some(Value::Object(object)) => object,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => {
                parsed = object;
                &parsed
            }
            _ => {
                errors.add("answers", FieldCode::NotAnObject);
                return errors.into_result().map(|()| Dict::new());
            }
        },
        Some(_) => {
            errors.add("answers", FieldCode::NotAnObject);
            return errors.into_result().map(|()| Dict::new());
        }
    };
    for key in object.keys() {
        if !QUESTIONS.iter().any(|q| q.id == key) {
            let id: String = key.chars().take(50).collect();
            errors.add(
                &format!("answers.{id}"),
                FieldCode::UnknownQuestion.arg("id", id.as_str()),
            );
        }
    }
    let mut valid = Dict::new();
    for question in QUESTIONS {
        let field = format!("answers.{}", question.id);
        let mut local = Errors::default();
        let answer = match question.kind {
            AnswerKind::Confirm => match params::boolean(object, question.id, &mut local) {
                Some(true) => Some(Value::Bool(true)),
                Some(false) => {
                    local.add(question.id, FieldCode::ChecklistUnconfirmed);
                    None
                }
                None => None,
            },
            AnswerKind::Text => match params::text(object, question.id, MAX_TEXT_CHARS, &mut local)
            {
                Some(text) if text.chars().count() >= MIN_TEXT_CHARS => Some(Value::String(text)),
                Some(text) if !text.is_empty() => {
                    local.add(
                        question.id,
                        FieldCode::AnswerTooShort.arg("min", MIN_TEXT_CHARS),
                    );
                    None
                }
                _ => None,
            },
        };
        match answer {
            Some(answer) => {
                valid.insert(question.id.to_owned(), answer);
            }
            None if local.is_empty() => errors.add(&field, params::missing()),
            None => {
                for message in local.0.into_values().flatten() {
                    errors.add(&field, message);
                }
            }
        }
    }
    errors.into_result().map(|()| valid)
}

/// Answers that pass (for tests and the demo).
pub fn all_confirmed(purpose: &str) -> Value {
    let mut answers = Dict::new();
    for question in QUESTIONS {
        let answer = match question.kind {
            AnswerKind::Confirm => Value::Bool(true),
            AnswerKind::Text => Value::String(purpose.to_owned()),
        };
        answers.insert(question.id.to_owned(), answer);
    }
    Value::Object(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use serde_json::json;

    fn fields(result: AppResult<Dict>) -> Vec<(String, &'static str)> {
        match result {
            Err(AppError::Validation(fields)) => fields
                .into_iter()
                .flat_map(|(f, ms)| ms.into_iter().map(move |m| (f.clone(), m.code.as_str())))
                .collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_question_must_be_answered_and_confirmed() {
        let good = all_confirmed("Danh sách hộ nghèo công khai theo Quyết định 24/2021");
        assert_eq!(validate(Some(&good)).unwrap().len(), QUESTIONS.len());
        let as_text = Value::String(good.to_string());
        assert!(validate(Some(&as_text)).is_ok(), "JSON text is read too");
        assert_eq!(
            fields(validate(None)),
            [("answers".into(), "missing_value")]
        );
        assert_eq!(
            fields(validate(Some(&json!([1])))),
            [("answers".into(), "not_an_object")]
        );
        let mut partial = good.clone();
        partial["linkage"] = json!(false);
        partial["sensitive"] = json!("maybe");
        partial["purpose"] = json!("vì");
        partial.as_object_mut().unwrap().remove("accountable");
        partial["extra"] = json!(true);
        assert_eq!(
            fields(validate(Some(&partial))),
            [
                ("answers.accountable".into(), "missing_value"),
                ("answers.extra".into(), "unknown_question"),
                ("answers.linkage".into(), "checklist_unconfirmed"),
                ("answers.purpose".into(), "answer_too_short"),
                ("answers.sensitive".into(), "not_a_boolean"),
            ]
        );
    }
}
