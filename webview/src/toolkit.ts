import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

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
