//go:build darwin

#import <Foundation/Foundation.h>

extern void cezHandleURL(char *url);

// CezURLHandler receives kAEGetURL ('GURL') Apple Events, as Wails'
// CustomProtocol.m does, and passes the URL to Go.
@interface CezURLHandler : NSObject
- (void)handleGetURLEvent:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply;
@end

@implementation CezURLHandler
- (void)handleGetURLEvent:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply {
	NSString *url = [[event paramDescriptorForKeyword:keyDirectObject] stringValue];
	if (url != nil) {
		cezHandleURL((char *)[url UTF8String]);
	}
}
@end

static CezURLHandler *cezHandler;

void cezInstallURLHandler(void) {
	cezHandler = [[CezURLHandler alloc] init];
	[[NSAppleEventManager sharedAppleEventManager]
		setEventHandler:cezHandler
		andSelector:@selector(handleGetURLEvent:withReplyEvent:)
		forEventClass:kInternetEventClass
		andEventID:kAEGetURL];
}
