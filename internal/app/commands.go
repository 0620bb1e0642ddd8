package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// storeFlags parses the flags that choose a database, for the commands that only need the store.
func storeFlags(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config.Config, error) {
	cfg := &config.Config{}
	err := parseFlags(name, args, stderr, func(fs *flag.FlagSet) {
		cfg.StoreFlagSet(fs, getenv)
		if extra != nil {
			extra(fs)
		}
	})
	if err != nil {
		return nil, err
	}
	return cfg, cfg.ValidateStore()
}

// parseFlags parses a subcommand's own flags (declared by declare) and refuses positional
// arguments: `okapi token create --data-dir D extra --name x` would otherwise stop parsing at
// "extra" and silently ignore --name. -h prints only these flags; Run turns flag.ErrHelp
// into exit 0.
func parseFlags(name string, args []string, stderr io.Writer, declare func(*flag.FlagSet)) error {
	fs := flag.NewFlagSet("okapi "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	declare(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: okapi %s [flags]\n\nflags:\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("okapi %s: unexpected argument %q (flags go before or after, values need --flag VALUE)", name, fs.Arg(0))
	}
	return nil
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		args = []string{"create", "-h"} // the only subcommand: show its flags
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: okapi token create --name NAME [--org NAME] [--user LOGIN]")
	}
	var name, orgName, user string
	cfg, err := storeFlags("token create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "okapi-cli", "name of the new token")
		fs.StringVar(&orgName, "org", domain.DefaultOrgName, "org the token belongs to")
		fs.StringVar(&user, "user", "", "login of the admin the token acts as (default: the org's first admin); it gets that admin's roles")
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, nil, nil, newLogger(stderr, "warn"))
	org, err := tokenOrg(ctx, svc, orgName, cfg.AdminLogin)
	if err != nil {
		return err
	}
	if user != "" {
		// A token for a named admin, with that admin's roles: tests use it to act as a lesser
		// admin (service.CreateTokenFor refuses a user without any admin role).
		_, secret, err := svc.CreateTokenFor(ctx, org.Name, user, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		return nil
	}
	caller := &domain.Caller{OrgID: org.ID}
	// The CLI acts as the org's super admin. Without this, CreateToken borrows the owner of an
	// existing token, and an operator who revoked every token could never get back in.
	if admin, err := db.GetUserByLogin(ctx, org.ID, cfg.AdminLogin); err == nil {
		caller.UserID, caller.Login, caller.DisplayName = admin.ID, admin.Login(), admin.DisplayName()
	}
	ctx = domain.WithCaller(ctx, caller)
	_, secret, err := svc.CreateToken(ctx, name, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := storeFlags("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg) // opening applies the migrations
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied to", redactDSN(cfg.Database))
	return db.Close()
}

// tokenOrg is the org `okapi token create --org` mints for. Only the default org is made when
// missing (a fresh data dir); any other must exist: a typo in --org used to create that org,
// with an orphan token in it.
func tokenOrg(ctx context.Context, svc *service.Service, name, adminLogin string) (domain.Org, error) {
	if name == domain.DefaultOrgName {
		org, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: name, AdminLogin: adminLogin, TokenName: "bootstrap"})
		return org, err
	}
	org, err := svc.Store.GetOrgByName(ctx, name)
	if errors.Is(err, domain.ErrNotFound) {
		return org, fmt.Errorf("--org %q: no such org; create it with the operator API "+
			"(POST /okapi/v1/orgs {\"name\": %q}) or omit --org for the default org", name, name)
	}
	return org, err
}
