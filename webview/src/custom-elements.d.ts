// JSX typings for the @vscode/webview-ui-toolkit elements the panel uses. Solid sets props on custom
// elements as properties, which is what FAST components expect.
import type { JSX } from 'solid-js';

type Base = JSX.HTMLAttributes<HTMLElement> & { disabled?: boolean; 'aria-label'?: string };
type Field = Base & { value?: string; placeholder?: string; maxlength?: number; readonly?: boolean; name?: string };

declare module 'solid-js' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // Written with `attr:` on toolkit elements: Solid would otherwise set them as properties, which
    // FAST reflects late (or not at all).
    interface ExplicitAttributes {
      'aria-label': string;
      'aria-labelledby': string;
      'aria-describedby': string;
      'data-to': string;
    }
    interface IntrinsicElements {
      'vscode-button': Base & { appearance?: 'primary' | 'secondary' | 'icon'; type?: 'button' | 'submit' };
      'vscode-divider': Base & { role?: 'separator' | 'presentation' };
      'vscode-checkbox': Base & { checked?: boolean; value?: string };
      'vscode-radio': Base & { checked?: boolean; value?: string };
      'vscode-radio-group': Base & { orientation?: 'horizontal' | 'vertical'; value?: string };
      'vscode-text-field': Field & { type?: string };
      'vscode-text-area': Field & { rows?: number; resize?: 'none' | 'both' | 'horizontal' | 'vertical' };
    }
  }
}
