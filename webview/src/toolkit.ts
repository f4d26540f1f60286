// Each component from its own module: the toolkit's index re-exports every component, and their
// decorated classes (data grid, dropdown, tabs, ...) survive tree-shaking, so importing from the
// index ships all of FAST's components (about 60 KB more minified).
import { vsCodeButton } from '@vscode/webview-ui-toolkit/dist/button/index.js';
import { vsCodeCheckbox } from '@vscode/webview-ui-toolkit/dist/checkbox/index.js';
import { vsCodeDivider } from '@vscode/webview-ui-toolkit/dist/divider/index.js';
import { vsCodeRadioGroup } from '@vscode/webview-ui-toolkit/dist/radio-group/index.js';
import { vsCodeRadio } from '@vscode/webview-ui-toolkit/dist/radio/index.js';
import { vsCodeTextArea } from '@vscode/webview-ui-toolkit/dist/text-area/index.js';
import { vsCodeTextField } from '@vscode/webview-ui-toolkit/dist/text-field/index.js';
import { provideVSCodeDesignSystem } from '@vscode/webview-ui-toolkit/dist/vscode-design-system.js';

let registered = false;

/**
 * Registers only the toolkit components the panel uses. They style themselves through
 * adoptedStyleSheets, which the webview CSP (style-src without 'unsafe-inline') permits.
 * Not vscode-badge or vscode-progress-ring: their templates carry `style="…"` attributes, which the
 * CSP refuses (a violation per render); common/bits.tsx has CSS-only equivalents.
 */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}
