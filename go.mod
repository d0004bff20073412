module github.com/cezanne-hr-desktop/cezanne-desktop

go 1.26.0

require (
	github.com/zalando/go-keyring v0.2.8
	golang.org/x/oauth2 v0.38.0
)

require (
	github.com/danieljoos/wincred v1.2.3 // indirect
	github.com/godbus/dbus/v5 v5.2.2 // indirect
	golang.org/x/sys v0.30.0 // indirect
)
