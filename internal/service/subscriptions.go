package service

import (
	"context"
	"net/http"
	"slices"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/role"
	"github.com/okapi-dev/okapi/internal/store"
)

// unsubscribedKind marks, in role_objects, a notification type an admin unsubscribed from
// (Parent the user, ID the notification type).
const unsubscribedKind = "unsubscribed"

// errNotAdmin answers subscription calls for a user without an admin role: only admins get
// Okta's admin notifications.
var errNotAdmin = domain.NewError(http.StatusForbidden, domain.CodeForbidden, "You do not have permission to perform the requested action",
	domain.Cause{Summary: "Notification subscriptions belong to users with an admin role"})

func errUnknownNotification(t string) error {
	return domain.NotFound(t, "NotificationType")
}

// adminUser returns the user if they hold an admin role directly.
func (s *Service) adminUser(ctx context.Context, r store.Reader, org, userID string) (domain.User, error) {
	u, err := r.GetUser(ctx, org, userID)
	if err != nil {
		return u, err
	}
	roles, err := r.ListRoleObjects(ctx, org, roleUser, u.ID, "*")
	if err != nil {
		return u, err
	}
	if len(roles) == 0 {
		return u, errNotAdmin
	}
	return u, nil
}

// UserSubscriptions lists an admin's notification subscriptions (listSubscriptionsUser).
func (s *Service) UserSubscriptions(ctx context.Context, userID string) ([]role.Subscription, error) {
	org := orgID(ctx)
	u, err := s.adminUser(ctx, s.Store, org, userID)
	if err != nil {
		return nil, err
	}
	off, err := s.Store.ListRoleObjects(ctx, org, unsubscribedKind, u.ID, "*")
	if err != nil {
		return nil, err
	}
	return subscriptions(off), nil
}

// UserSubscription returns one of them (getSubscriptionsNotificationTypeUser).
func (s *Service) UserSubscription(ctx context.Context, userID, notificationType string) (role.Subscription, error) {
	all, err := s.UserSubscriptions(ctx, userID)
	return findSubscription(all, notificationType, err)
}

// findSubscription picks notificationType from a list of subscriptions (404 when unknown).
func findSubscription(all []role.Subscription, notificationType string, err error) (role.Subscription, error) {
	if err != nil {
		return role.Subscription{}, err
	}
	for _, sub := range all {
		if sub.NotificationType == notificationType {
			return sub, nil
		}
	}
	return role.Subscription{}, errUnknownNotification(notificationType)
}

// SetUserSubscription subscribes or unsubscribes an admin (subscribeByNotificationTypeUser,
// unsubscribeByNotificationTypeUser).
func (s *Service) SetUserSubscription(ctx context.Context, userID, notificationType string, subscribed bool) error {
	if !slices.Contains(role.NotificationTypes, notificationType) {
		return errUnknownNotification(notificationType)
	}
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		u, err := s.adminUser(ctx, tx, org, userID)
		if err != nil {
			return err
		}
		if err := setUnsubscribed(ctx, tx, org, unsubscribedKind, u.ID, notificationType, !subscribed, now); err != nil {
			return err
		}
		typ, msg := "system.notification.subscribe", "Subscribe to notification"
		if !subscribed {
			typ, msg = "system.notification.unsubscribe", "Unsubscribe from notification"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, u.LogTarget()))
	})
}

// roleUnsubscribedKind marks, in role_objects, a notification type a role unsubscribed from
// (Parent the role type or custom role id, ID the notification type).
const roleUnsubscribedKind = "roleUnsubscribed"

// roleRef resolves the roleRef of the Subscription API: a standard role type (SUPER_ADMIN...)
// or the id of a custom role; anything else is 404.
func roleRef(ctx context.Context, r store.Reader, org, ref string) (string, error) {
	if _, ok := role.Labels[ref]; ok {
		return ref, nil
	}
	cr, err := findCustomRole(ctx, r, org, ref)
	if err != nil {
		return "", domain.NotFound(ref, "Role")
	}
	return cr.ID, nil
}

// RoleSubscriptions lists a role's notification subscriptions (listSubscriptionsRole): every
// notification type, subscribed until the role unsubscribes.
func (s *Service) RoleSubscriptions(ctx context.Context, ref string) ([]role.Subscription, error) {
	org := orgID(ctx)
	id, err := roleRef(ctx, s.Store, org, ref)
	if err != nil {
		return nil, err
	}
	off, err := s.Store.ListRoleObjects(ctx, org, roleUnsubscribedKind, id, "*")
	if err != nil {
		return nil, err
	}
	return subscriptions(off), nil
}

// subscriptions are the notification types with their status, given the unsubscribed ones.
func subscriptions(off []store.RoleObject) []role.Subscription {
	out := make([]role.Subscription, len(role.NotificationTypes))
	for i, t := range role.NotificationTypes {
		status := "subscribed"
		if slices.ContainsFunc(off, func(o store.RoleObject) bool { return o.ID == t }) {
			status = "unsubscribed"
		}
		out[i] = role.Subscription{NotificationType: t, Channels: []string{"email"}, Status: status}
	}
	return out
}

// RoleSubscription returns one of them (getSubscriptionsNotificationTypeRole).
func (s *Service) RoleSubscription(ctx context.Context, ref, notificationType string) (role.Subscription, error) {
	all, err := s.RoleSubscriptions(ctx, ref)
	return findSubscription(all, notificationType, err)
}

// SetRoleSubscription subscribes or unsubscribes a role (subscribeByNotificationTypeRole,
// unsubscribeByNotificationTypeRole). As in Okta, the change overrides the status of every user
// who holds the role directly, in the same transaction.
func (s *Service) SetRoleSubscription(ctx context.Context, ref, notificationType string, subscribed bool) error {
	if !slices.Contains(role.NotificationTypes, notificationType) {
		return errUnknownNotification(notificationType)
	}
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		id, err := roleRef(ctx, tx, org, ref)
		if err != nil {
			return err
		}
		if err := setUnsubscribed(ctx, tx, org, roleUnsubscribedKind, id, notificationType, !subscribed, now); err != nil {
			return err
		}
		holders, err := usersWithRole(ctx, tx, org, id)
		if err != nil {
			return err
		}
		for _, u := range holders {
			if err := setUnsubscribed(ctx, tx, org, unsubscribedKind, u, notificationType, !subscribed, now); err != nil {
				return err
			}
		}
		typ, msg := "system.notification.subscribe", "Subscribe to notification"
		if !subscribed {
			typ, msg = "system.notification.unsubscribe", "Unsubscribe from notification"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, domain.LogTarget{ID: id, Type: "Role", DisplayName: id}))
	})
}

// setUnsubscribed records (off) or clears the unsubscription of parent from notificationType.
func setUnsubscribed(ctx context.Context, tx store.Tx, org, kind, parent, notificationType string, off bool, now domain.Time) error {
	if !off {
		return tx.DeleteRoleObjects(ctx, org, kind, parent, notificationType)
	}
	return tx.PutRoleObject(ctx, org, store.RoleObject{Kind: kind, Parent: parent, ID: notificationType, Data: []byte(`{}`), Created: now.Millis()})
}

// usersWithRole returns the users assigned role type t directly (custom roles are not assigned
// to anyone yet: CUSTOM assignments are not served).
func usersWithRole(ctx context.Context, r store.Reader, org, t string) ([]string, error) {
	objs, err := r.ListRoleObjects(ctx, org, roleUser, "*", "*")
	if err != nil {
		return nil, err
	}
	var users []string
	for _, o := range objs {
		a, err := decodeRole(o)
		if err != nil {
			return nil, err
		}
		if a.Type == t && !slices.Contains(users, o.Parent) {
			users = append(users, o.Parent)
		}
	}
	return users, nil
}
