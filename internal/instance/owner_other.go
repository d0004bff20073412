//go:build !unix

package instance

import "io/fs"

// fileOwner: Windows keeps owners in ACLs, and the channel's directory
// under %LocalAppData% is the user's own by its inherited ACL.
func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
