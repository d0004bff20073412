// Package sandbox is a simulated Cezanne OnDemand tenant: the OAuth 2.0
// endpoints (Authorize, Token, TokenInfo) and the OData DataService, behaving
// as Cezanne documents them. The desktop app runs it as its demo tenant, QA
// runs it standalone, and every test talks to it over loopback.
//
// Where things are:
//
//   - sandbox.go: Config, Server and its routes, Running (a served tenant)
//   - registry.go: the demo OAuth clients (OAuthClient), users and scopes
//   - authorize.go, pages.go, templates/: the Authorize endpoint with its
//     login and consent pages and the auto-approve modes
//   - token.go: the Token endpoint (code, refresh, client credentials),
//     bearer tokens and TokenInfo
//   - odata.go, filter.go, people.go: the People entity set in OData 2, 3
//     or 4, its $filter language and the generated population
//   - control.go, admin.go, log.go: what QA can change while it runs
//     (faults, modes, lifetimes), the admin page and the request log
//   - consent.go: the consent log (what each authorize request showed,
//     read by the app's consent check) and two undocumented modes for tests
//   - robot.go: Robot, the person in the browser for scripts and tests
//   - ports.go: free loopback redirect URIs
//
// The sandboxtest package starts tenants for tests.
package sandbox
