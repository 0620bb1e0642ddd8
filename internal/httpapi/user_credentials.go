package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// changePasswordBody is ChangePasswordRequest.
type changePasswordBody struct {
	OldPassword    *service.PasswordInput `json:"oldPassword"`
	NewPassword    *service.PasswordInput `json:"newPassword"`
	RevokeSessions bool                   `json:"revokeSessions"`
}

// passwordValue is the value of a password object, "" when absent.
func passwordValue(p *service.PasswordInput) string {
	if p == nil || p.Value == nil {
		return ""
	}
	return *p.Value
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	strict, err := queryBool(r, "strict", false)
	if err != nil {
		return err
	}
	var body changePasswordBody
	if _, err := decode(r, &body); err != nil {
		return err
	}
	u, err := s.svc.ChangePassword(r.Context(), r.PathValue("id"),
		passwordValue(body.OldPassword), passwordValue(body.NewPassword), strict)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, credentialsJSON(u))
	return nil
}

func (s *Server) changeRecoveryQuestion(w http.ResponseWriter, r *http.Request) error {
	var body service.CredentialsInput
	if _, err := decode(r, &body); err != nil {
		return err
	}
	var q service.RecoveryQuestionInput
	if body.RecoveryQuestion != nil {
		q = *body.RecoveryQuestion
	}
	u, err := s.svc.ChangeRecoveryQuestion(r.Context(), r.PathValue("id"), passwordValue(body.Password), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, credentialsJSON(u))
	return nil
}

// forgotPassword without a body starts the forgot-password flow; with a body holding the
// recovery answer and a new password it completes it (Okta's classic form of
// forgot_password_recovery_question).
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	sendEmail, err := queryBool(r, "sendEmail", true)
	if err != nil {
		return err
	}
	var body service.CredentialsInput
	hasBody, err := decode(r, &body)
	if err != nil {
		return err
	}
	if hasBody {
		return s.recoveryReset(w, r, body)
	}
	res, err := s.svc.UserLifecycle(r.Context(), r.PathValue("id"), domain.OpForgotPassword)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.lifecycleBody(r, domain.OpForgotPassword, res, sendEmail))
	return nil
}

func (s *Server) forgotPasswordRecoveryQuestion(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryBool(r, "sendEmail", true); err != nil {
		return err
	}
	var body service.CredentialsInput
	if _, err := decode(r, &body); err != nil {
		return err
	}
	return s.recoveryReset(w, r, body)
}

func (s *Server) recoveryReset(w http.ResponseWriter, r *http.Request, body service.CredentialsInput) error {
	answer := ""
	if q := body.RecoveryQuestion; q != nil && q.Answer != nil {
		answer = *q.Answer
	}
	u, err := s.svc.RecoveryQuestionReset(r.Context(), r.PathValue("id"), answer, passwordValue(body.Password))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, credentialsJSON(u))
	return nil
}
