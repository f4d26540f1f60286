import { z } from 'zod';

// zod compiles fast parsers with `new Function` after probing whether eval is allowed. The webview
// CSP forbids eval, and even the caught probe is reported as a CSP violation: switch it off.
z.config({ jitless: true });
