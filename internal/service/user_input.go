package service

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
)

// UserInput is the body of create, update and replace: CreateUserRequest, UpdateUserRequest
// and User in the spec. Read-only fields of a User (id, status, dates, _links) are ignored.
type UserInput struct {
	Profile     map[string]any    `json:"profile"`
	Credentials *CredentialsInput `json:"credentials"`
	Type        *TypeRef          `json:"type"`
	GroupIDs    []string          `json:"groupIds"`
}

// TypeRef is `type: {id}`.
type TypeRef struct {
	ID string `json:"id"`
}

// CredentialsInput is UserCredentials as a request carries it.
type CredentialsInput struct {
	Password         *PasswordInput         `json:"password"`
	RecoveryQuestion *RecoveryQuestionInput `json:"recovery_question"`
	Provider         *domain.Provider       `json:"provider"`
}

// PasswordInput is PasswordCredential: a clear value, an imported hash, or a hook.
type PasswordInput struct {
	Value *string            `json:"value"`
	Hash  *password.Imported `json:"hash"`
	Hook  *struct {
		Type string `json:"type"`
	} `json:"hook"`
}

// RecoveryQuestionInput is RecoveryQuestionCredential.
type RecoveryQuestionInput struct {
	Question *string `json:"question"`
	Answer   *string `json:"answer"`
}

// isEmpty reports a password object with nothing to set, such as the `password: {}` a client
// echoes back from a GET.
func (p *PasswordInput) isEmpty() bool {
	return p == nil || p.Value == nil && p.Hash == nil && p.Hook == nil
}

// preparedCreds are credentials checked and hashed before the transaction that stores them
// (bcrypt is slow and must not hold the write lock).
type preparedCreds struct {
	setPassword  bool
	passwordHash string
	imported     bool
	setQuestion  bool
	question     string
	answerHash   string
}

// prepareCreds validates and hashes the credentials of a create or update. rules are the
// password policy's for who (the login and profile a password must not contain); current is
// the user's question (to recognise an echoed one).
func prepareCreds(c *CredentialsInput, rules password.Rules, who password.Subject, currentQuestion string) (preparedCreds, error) {
	var pc preparedCreds
	if c == nil {
		return pc, nil
	}
	if p := c.Password; !p.isEmpty() {
		switch {
		case p.Hook != nil:
			return pc, domain.Validation("password", "password: Password hooks are not supported by this server")
		case p.Value != nil && p.Hash != nil:
			return pc, domain.Validation("password", "password: Specify either a password value or a password hash, not both")
		case p.Hash != nil:
			stored, problems := password.Import(*p.Hash)
			if len(problems) > 0 {
				var fe domain.FieldErrors
				for _, pr := range problems {
					fe.Add(pr.Field, pr.Message)
				}
				return pc, fe.Err()
			}
			pc.setPassword, pc.passwordHash, pc.imported = true, stored, true
		default:
			if vs := password.CheckRules(rules, *p.Value, who); len(vs) > 0 {
				return pc, policyError(vs, false)
			}
			h, err := password.Hash(*p.Value)
			if err != nil {
				return pc, err
			}
			pc.setPassword, pc.passwordHash = true, h
		}
	}
	if q := c.RecoveryQuestion; q != nil {
		if q.Answer == nil && (q.Question == nil || *q.Question == currentQuestion) {
			// The question as a GET shows it: nothing to change.
			return pc, nil
		}
		question, answerHash, err := prepareQuestion(q)
		if err != nil {
			return pc, err
		}
		pc.setQuestion, pc.question, pc.answerHash = true, question, answerHash
	}
	return pc, nil
}

// prepareQuestion checks a recovery question and answer (Okta's default policy wants an answer
// of at least 4 characters) and hashes the answer.
func prepareQuestion(q *RecoveryQuestionInput) (string, string, error) {
	var fe domain.FieldErrors
	question, answer := "", ""
	if q.Question != nil {
		question = strings.TrimSpace(*q.Question)
	}
	if q.Answer != nil {
		answer = strings.TrimSpace(*q.Answer)
	}
	switch n := utf8.RuneCountInString(question); {
	case n == 0:
		fe.Add("recovery_question.question", "The field cannot be left blank")
	case n > 100:
		fe.Add("recovery_question.question", "The field is too long (maximum 100 characters)")
	}
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		fe.Add("recovery_question.answer", "The field cannot be left blank")
	case n < 4:
		fe.Add("recovery_question.answer", "The security question answer must be at least 4 characters in length")
	case n > 100:
		fe.Add("recovery_question.answer", "The field is too long (maximum 100 characters)")
	}
	if err := fe.Err(); err != nil {
		return "", "", err
	}
	h, err := password.HashAnswer(answer)
	return question, h, err
}

// policyError reports a password that breaks the policy: on create and update, 400 E0000001 with
// one cause per rule (Okta's newer cause format); on change and reset, 403 E0000080.
func policyError(vs []password.Violation, change bool) error {
	causes := make([]domain.Cause, len(vs))
	for i, v := range vs {
		causes[i] = domain.Cause{Summary: "password: " + v.Message, Reason: v.Reason,
			Location: "credentials.password.value", LocationType: "body", Domain: "user"}
	}
	if change {
		for i := range causes {
			causes[i].Location = "newPassword.value"
		}
		return domain.NewError(http.StatusForbidden, domain.CodePasswordPolicy,
			"The password does not meet the complexity requirements of the current password policy.", causes...)
	}
	return domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: password", causes...)
}

// applyCreds writes prepared credentials into u at now.
func applyCreds(u *domain.User, pc preparedCreds, now domain.Time) {
	if pc.setPassword {
		u.Secrets.PasswordHash = pc.passwordHash
		u.PasswordChanged = now
		// Okta shows an imported hash as provider IMPORT until the first sign-in rehashes it.
		if t := u.Provider.Type; t == "" || t == "OKTA" || t == "IMPORT" {
			u.Provider = domain.Provider{Type: "OKTA", Name: "OKTA"}
			if pc.imported {
				u.Provider = domain.Provider{Type: "IMPORT", Name: "IMPORT"}
			}
		}
	}
	if pc.setQuestion {
		u.RecoveryQuestion, u.Secrets.RecoveryAnswerHash = pc.question, pc.answerHash
	}
}
