package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// emptyObject is the `{}` Okta answers when a lifecycle operation has nothing to report.
var emptyObject = struct{}{}

// activationJSON is UserActivationToken.
type activationJSON struct {
	ActivationURL   string `json:"activationUrl"`
	ActivationToken string `json:"activationToken"`
}

// resetJSON is ResetPasswordToken and ForgotPasswordResponse.
type resetJSON struct {
	ResetPasswordURL string `json:"resetPasswordUrl"`
}

type tempPasswordJSON struct {
	TempPassword string `json:"tempPassword"`
}

// lifecycle returns the handler of POST /users/{id}/lifecycle/<op>. What it answers depends on
// the operation: a token or URL when sendEmail=false, the User for expire_password, `{}` else.
func (s *Server) lifecycle(op domain.UserOp) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sendEmail, err := queryBool(r, "sendEmail", op != domain.OpReactivate)
		if err != nil {
			return err
		}
		if op == domain.OpExpirePassword {
			temp, err := queryBool(r, "tempPassword", false)
			if err != nil {
				return err
			}
			if temp {
				return s.expireWithTemp(w, r)
			}
		}
		res, err := s.svc.UserLifecycle(r.Context(), r.PathValue("id"), op)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.lifecycleBody(r, op, res, sendEmail))
		return nil
	}
}

func (s *Server) lifecycleBody(r *http.Request, op domain.UserOp, res service.LifecycleResult, sendEmail bool) any {
	switch op {
	case domain.OpExpirePassword:
		return s.userJSON(r, res.User, false)
	case domain.OpActivate, domain.OpReactivate:
		if !sendEmail {
			return activationJSON{ActivationURL: s.baseURL(r) + "/welcome/" + res.Token, ActivationToken: res.Token}
		}
	case domain.OpResetPassword, domain.OpForgotPassword:
		if !sendEmail {
			return resetJSON{ResetPasswordURL: s.baseURL(r) + "/reset_password/" + res.Token}
		}
	}
	return emptyObject
}

func (s *Server) expireWithTemp(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryBool(r, "revokeSessions", false); err != nil {
		return err
	}
	res, err := s.svc.ExpirePasswordWithTemp(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tempPasswordJSON{TempPassword: res.TempPassword})
	return nil
}
