package service

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/idp"
	"github.com/okapi-dev/okapi/internal/store"
)

// Kinds of the Identity Providers family's stored objects (see store.IdPObject).
const (
	idpKind  = "idp"
	keyKind  = "key"
	csrKind  = "csr"
	linkKind = "link"
)

// IdPQuery selects a page of identity providers (listIdentityProviders): q is a name prefix,
// ignoring case; type an exact type; after the id of the previous page's last IdP.
type IdPQuery struct {
	Q, Type, After string
	Limit          int
}

func decodeIdP(o store.IdPObject) (idp.IdP, error) {
	var p idp.IdP
	err := json.Unmarshal(o.Data, &p)
	return p, err
}

func putIdP(ctx context.Context, tx store.Tx, org string, p idp.IdP) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return tx.PutIdPObject(ctx, org, store.IdPObject{Kind: idpKind, ID: p.ID, Name: p.Name, Data: data, Created: p.Created.Millis()})
}

func idpTarget(p idp.IdP) domain.LogTarget {
	return domain.LogTarget{ID: p.ID, Type: "IdentityProvider", AlternateID: p.Type, DisplayName: p.Name}
}

// ListIdPs returns one page of the org's IdPs, oldest first, and the next page's cursor.
func (s *Service) ListIdPs(ctx context.Context, q IdPQuery) ([]idp.IdP, string, error) {
	objs, err := s.Store.ListIdPObjects(ctx, orgID(ctx), idpKind, "")
	if err != nil {
		return nil, "", err
	}
	out := []idp.IdP{}
	past := q.After == ""
	prefix := strings.ToLower(q.Q)
	for _, o := range objs {
		if !past {
			past = o.ID == q.After
			continue
		}
		p, err := decodeIdP(o)
		if err != nil {
			return nil, "", err
		}
		if (q.Type != "" && p.Type != q.Type) || !strings.HasPrefix(strings.ToLower(p.Name), prefix) {
			continue
		}
		if len(out) == q.Limit {
			return out, out[len(out)-1].ID, nil
		}
		out = append(out, p)
	}
	return out, "", nil
}

// GetIdP returns one IdP.
func (s *Service) GetIdP(ctx context.Context, id string) (idp.IdP, error) {
	return s.getIdP(ctx, s.Store, orgID(ctx), id)
}

func (s *Service) getIdP(ctx context.Context, r store.Reader, org, id string) (idp.IdP, error) {
	o, err := r.GetIdPObject(ctx, org, idpKind, "", id, "IdentityProvider")
	if err != nil {
		return idp.IdP{}, err
	}
	return decodeIdP(o)
}

// CreateIdP validates and stores a new IdP (createIdentityProvider), ACTIVE unless the body says
// INACTIVE. A SAML IdP's trust.kid must name an org key.
func (s *Service) CreateIdP(ctx context.Context, in idp.IdP) (idp.IdP, error) {
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	if in.Status == "" {
		in.Status = idp.StatusActive
	}
	org, now := orgID(ctx), s.now(ctx)
	in.ID, in.Created, in.LastUpdated = domain.NewID(s.IDs, idp.IDPrefix), now, now
	err := s.update(ctx, func(tx store.Tx) error {
		if err := s.checkTrustKey(ctx, tx, org, in); err != nil {
			return err
		}
		if err := putIdP(ctx, tx, org, in); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.lifecycle.create", "Create IdP", idpTarget(in)))
	})
	return in, err
}

func (s *Service) checkTrustKey(ctx context.Context, tx store.Tx, org string, p idp.IdP) error {
	kid := p.TrustKid()
	if p.Type != "SAML2" || kid == "" {
		return nil
	}
	if _, err := tx.GetIdPObject(ctx, org, keyKind, "", kid, "IdpKey"); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return domain.Validation("protocol.credentials.trust.kid", "protocol.credentials.trust.kid: No IdP key with kid "+kid+" exists in the org")
		}
		return err
	}
	return nil
}

// ReplaceIdP is replaceIdentityProvider: everything but id, created and (unless the body names
// one) status is replaced.
func (s *Service) ReplaceIdP(ctx context.Context, id string, in idp.IdP) (idp.IdP, error) {
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	var p idp.IdP
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := s.getIdP(ctx, tx, org, id)
		if err != nil {
			return err
		}
		p = in
		p.ID, p.Created, p.LastUpdated = old.ID, old.Created, now
		if p.Status == "" {
			p.Status = old.Status
		}
		if err := s.checkTrustKey(ctx, tx, org, p); err != nil {
			return err
		}
		if err := putIdP(ctx, tx, org, p); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.lifecycle.update", "Update IdP", idpTarget(p)))
	})
	return p, err
}

// SetIdPStatus activates or deactivates; the status it already has changes nothing and logs nothing.
func (s *Service) SetIdPStatus(ctx context.Context, id, status string) (idp.IdP, error) {
	org, now := orgID(ctx), s.now(ctx)
	var p idp.IdP
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if p, err = s.getIdP(ctx, tx, org, id); err != nil || p.Status == status {
			return err
		}
		p.Status, p.LastUpdated = status, now
		if err := putIdP(ctx, tx, org, p); err != nil {
			return err
		}
		typ, msg := "system.idp.lifecycle.activate", "Activate IdP"
		if status == idp.StatusInactive {
			typ, msg = "system.idp.lifecycle.deactivate", "Deactivate IdP"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, idpTarget(p)))
	})
	return p, err
}

// DeleteIdP removes an IdP with its signing keys, CSRs and user links (deleteIdentityProvider).
func (s *Service) DeleteIdP(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := s.getIdP(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteIdPChildren(ctx, org, id); err != nil {
			return err
		}
		if err := tx.DeleteIdPObject(ctx, org, idpKind, "", id, "IdentityProvider"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.lifecycle.delete", "Delete IdP", idpTarget(p)))
	})
}

// --- keys ---

func decodeKey(o store.IdPObject) (idp.Key, error) {
	var k idp.Key
	err := json.Unmarshal(o.Data, &k)
	return k, err
}

func putKey(ctx context.Context, tx store.Tx, org, parent string, k idp.Key) error {
	data, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return tx.PutIdPObject(ctx, org, store.IdPObject{Kind: keyKind, Parent: parent, ID: k.Kid, Data: data, Created: k.Created.Millis()})
}

func keyTarget(k idp.Key) domain.LogTarget {
	return domain.LogTarget{ID: k.Kid, Type: "Key", AlternateID: k.X5tS256, DisplayName: k.Kid}
}

func (s *Service) listKeys(ctx context.Context, parent string) ([]idp.Key, error) {
	objs, err := s.Store.ListIdPObjects(ctx, orgID(ctx), keyKind, parent)
	if err != nil {
		return nil, err
	}
	out := make([]idp.Key, 0, len(objs))
	for _, o := range objs {
		k, err := decodeKey(o)
		if err != nil {
			return nil, err
		}
		out = append(out, k.Public())
	}
	return out, nil
}

// ListIdPKeys returns the org's IdP keys (listIdentityProviderKeys).
func (s *Service) ListIdPKeys(ctx context.Context) ([]idp.Key, error) { return s.listKeys(ctx, "") }

// GetIdPKey returns one org key.
func (s *Service) GetIdPKey(ctx context.Context, kid string) (idp.Key, error) {
	o, err := s.Store.GetIdPObject(ctx, orgID(ctx), keyKind, "", kid, "IdpKey")
	if err != nil {
		return idp.Key{}, err
	}
	k, err := decodeKey(o)
	return k.Public(), err
}

// CreateIdPKey stores an uploaded certificate as an org key (createIdentityProviderKey).
func (s *Service) CreateIdPKey(ctx context.Context, x5c []string) (idp.Key, error) {
	org, now := orgID(ctx), s.now(ctx)
	k, err := idp.KeyFromCertificate(x5c, domain.NewUUID(s.IDs), now)
	if err != nil {
		return k, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := putKey(ctx, tx, org, "", k); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.key.create", "Create IdP key", keyTarget(k)))
	})
	return k, err
}

// errKeyInUse refuses deleting an org key a SAML IdP still trusts.
func errKeyInUse(idpName string) error {
	return domain.Validation("kid", "kid: The key is in use by the identity provider "+idpName+"; delete or change the identity provider first")
}

// DeleteIdPKey removes an org key no IdP uses (deleteIdentityProviderKey).
func (s *Service) DeleteIdPKey(ctx context.Context, kid string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		o, err := tx.GetIdPObject(ctx, org, keyKind, "", kid, "IdpKey")
		if err != nil {
			return err
		}
		idps, err := tx.ListIdPObjects(ctx, org, idpKind, "")
		if err != nil {
			return err
		}
		for _, io := range idps {
			if p, err := decodeIdP(io); err == nil && p.TrustKid() == kid {
				return errKeyInUse(p.Name)
			}
		}
		if err := tx.DeleteIdPObject(ctx, org, keyKind, "", kid, "IdpKey"); err != nil {
			return err
		}
		k, _ := decodeKey(o)
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.key.delete", "Delete IdP key", keyTarget(k)))
	})
}

// ListIdPSigningKeys returns an IdP's signing keys (listIdentityProviderSigningKeys).
func (s *Service) ListIdPSigningKeys(ctx context.Context, idpID string) ([]idp.Key, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return nil, err
	}
	return s.listKeys(ctx, idpID)
}

// GetIdPSigningKey returns one signing key of an IdP.
func (s *Service) GetIdPSigningKey(ctx context.Context, idpID, kid string) (idp.Key, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return idp.Key{}, err
	}
	o, err := s.Store.GetIdPObject(ctx, orgID(ctx), keyKind, idpID, kid, "IdpKey")
	if err != nil {
		return idp.Key{}, err
	}
	k, err := decodeKey(o)
	return k.Public(), err
}

// GenerateIdPSigningKey makes a new signing key and certificate for an IdP.
func (s *Service) GenerateIdPSigningKey(ctx context.Context, idpID string, years int) (idp.Key, error) {
	org, now := orgID(ctx), s.now(ctx)
	p, err := s.GetIdP(ctx, idpID)
	if err != nil {
		return idp.Key{}, err
	}
	// RSA key generation takes tens of milliseconds: outside the transaction.
	k, err := idp.GenerateSigningKey(s.IDs.Random(43), p.Name, years, now)
	if err != nil {
		return k, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getIdP(ctx, tx, org, idpID); err != nil {
			return err
		}
		if err := putKey(ctx, tx, org, idpID, k); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.key.create", "Generate IdP signing key", idpTarget(p), keyTarget(k)))
	})
	return k.Public(), err
}

// CloneIdPSigningKey copies an IdP's signing key, same kid, to another IdP (cloneIdentityProviderKey).
func (s *Service) CloneIdPSigningKey(ctx context.Context, idpID, kid, targetID string) (idp.Key, error) {
	org, now := orgID(ctx), s.now(ctx)
	var k idp.Key
	err := s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getIdP(ctx, tx, org, idpID); err != nil {
			return err
		}
		target, err := s.getIdP(ctx, tx, org, targetID)
		if err != nil {
			return err
		}
		o, err := tx.GetIdPObject(ctx, org, keyKind, idpID, kid, "IdpKey")
		if err != nil {
			return err
		}
		if k, err = decodeKey(o); err != nil {
			return err
		}
		if err := putKey(ctx, tx, org, targetID, k); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.key.create", "Clone IdP signing key", idpTarget(target), keyTarget(k)))
	})
	return k.Public(), err
}

// --- CSRs ---

// GenerateIdPCSR makes a key pair and a CSR for an IdP (generateCsrForIdentityProvider).
func (s *Service) GenerateIdPCSR(ctx context.Context, idpID string, m idp.CSRMetadata) (idp.CSR, error) {
	org, now := orgID(ctx), s.now(ctx)
	p, err := s.GetIdP(ctx, idpID)
	if err != nil {
		return idp.CSR{}, err
	}
	c, err := idp.GenerateCSR(s.IDs.Random(43), m, now)
	if err != nil {
		return c, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if _, err := s.getIdP(ctx, tx, org, idpID); err != nil {
			return err
		}
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := tx.PutIdPObject(ctx, org, store.IdPObject{Kind: csrKind, Parent: idpID, ID: c.ID, Data: data, Created: now.Millis()}); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.csr.create", "Generate IdP CSR", idpTarget(p)))
	})
	return c.Public(), err
}

// ListIdPCSRs returns an IdP's pending CSRs.
func (s *Service) ListIdPCSRs(ctx context.Context, idpID string) ([]idp.CSR, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListIdPObjects(ctx, orgID(ctx), csrKind, idpID)
	if err != nil {
		return nil, err
	}
	out := make([]idp.CSR, 0, len(objs))
	for _, o := range objs {
		var c idp.CSR
		if err := json.Unmarshal(o.Data, &c); err != nil {
			return nil, err
		}
		out = append(out, c.Public())
	}
	return out, nil
}

// GetIdPCSR returns one CSR of an IdP.
func (s *Service) GetIdPCSR(ctx context.Context, idpID, csrID string) (idp.CSR, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return idp.CSR{}, err
	}
	o, err := s.Store.GetIdPObject(ctx, orgID(ctx), csrKind, idpID, csrID, "Csr")
	if err != nil {
		return idp.CSR{}, err
	}
	var c idp.CSR
	err = json.Unmarshal(o.Data, &c)
	return c.Public(), err
}

// RevokeIdPCSR deletes a CSR and its private key (revokeCsrForIdentityProvider).
func (s *Service) RevokeIdPCSR(ctx context.Context, idpID, csrID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := s.getIdP(ctx, tx, org, idpID)
		if err != nil {
			return err
		}
		if err := tx.DeleteIdPObject(ctx, org, csrKind, idpID, csrID, "Csr"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.idp.csr.revoke", "Revoke IdP CSR", idpTarget(p)))
	})
}

// --- user links ---

// LinkIdPUser links a user to their account at an IdP (linkUserToIdentityProvider).
func (s *Service) LinkIdPUser(ctx context.Context, idpID, userID, externalID string) (idp.Link, error) {
	org, now := orgID(ctx), s.now(ctx)
	if strings.TrimSpace(externalID) == "" {
		return idp.Link{}, domain.Validation("externalId", "externalId: The field cannot be left blank")
	}
	l := idp.Link{IdPID: idpID, UserID: userID, ExternalID: externalID, Created: now, LastUpdated: now}
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := s.getIdP(ctx, tx, org, idpID)
		if err != nil {
			return err
		}
		u, err := tx.GetUser(ctx, org, userID)
		if err != nil {
			return err
		}
		l.UserID = u.ID
		if old, err := tx.GetIdPObject(ctx, org, linkKind, idpID, u.ID, "User"); err == nil {
			var prev idp.Link
			if json.Unmarshal(old.Data, &prev) == nil {
				l.Created = prev.Created
			}
		}
		data, err := json.Marshal(l)
		if err != nil {
			return err
		}
		if err := tx.PutIdPObject(ctx, org, store.IdPObject{Kind: linkKind, Parent: idpID, ID: u.ID, Data: data, Created: l.Created.Millis()}); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.identity_provider.link", "Link user to IdP", u.LogTarget(), idpTarget(p)))
	})
	return l, err
}

// GetIdPUser returns a user's link to an IdP (getIdentityProviderApplicationUser).
func (s *Service) GetIdPUser(ctx context.Context, idpID, userID string) (idp.Link, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return idp.Link{}, err
	}
	o, err := s.Store.GetIdPObject(ctx, orgID(ctx), linkKind, idpID, userID, "User")
	if err != nil {
		return idp.Link{}, err
	}
	var l idp.Link
	err = json.Unmarshal(o.Data, &l)
	return l, err
}

// ListIdPUsers returns the users linked to an IdP, oldest link first.
func (s *Service) ListIdPUsers(ctx context.Context, idpID string) ([]idp.Link, error) {
	if _, err := s.GetIdP(ctx, idpID); err != nil {
		return nil, err
	}
	objs, err := s.Store.ListIdPObjects(ctx, orgID(ctx), linkKind, idpID)
	if err != nil {
		return nil, err
	}
	out := make([]idp.Link, 0, len(objs))
	for _, o := range objs {
		var l idp.Link
		if err := json.Unmarshal(o.Data, &l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created.Time) })
	return out, nil
}

// UnlinkIdPUser removes a user's link to an IdP (unlinkUserFromIdentityProvider).
func (s *Service) UnlinkIdPUser(ctx context.Context, idpID, userID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		p, err := s.getIdP(ctx, tx, org, idpID)
		if err != nil {
			return err
		}
		if err := tx.DeleteIdPObject(ctx, org, linkKind, idpID, userID, "User"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.identity_provider.unlink", "Unlink user from IdP",
			domain.LogTarget{ID: userID, Type: "User"}, idpTarget(p)))
	})
}

// errIdPValidityYears is the answer to a validityYears that is not a number.
var errIdPValidityYears = domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: validityYears",
	domain.Cause{Summary: "validityYears: The validity must be a whole number of years between 2 and 10"})

// ErrIdPValidityYears is errIdPValidityYears, for the HTTP layer's parameter parsing.
var ErrIdPValidityYears error = errIdPValidityYears
