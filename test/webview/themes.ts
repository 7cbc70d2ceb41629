/**
 * The theme variables VS Code injects into webviews (a subset: what media/webview.css uses), with the
 * values of the default Dark Modern, Light Modern and Dark High Contrast themes, so screenshots look like
 * the real panel.
 */
export type ThemeName = 'dark' | 'light' | 'high-contrast';

export interface ThemeVars {
  bodyClass: string;
  vars: Record<string, string>;
}

const common = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

export const THEMES: Record<ThemeName, ThemeVars> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-disabledForeground': '#cccccc80',
      '--vscode-sideBar-background': '#181818',
      '--vscode-sideBarSectionHeader-background': '#181818',
      '--vscode-sideBarSectionHeader-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-list-focusOutline': '#0078d4',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-green': '#89d185',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-disabledForeground': '#61616180',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-sideBarSectionHeader-background': '#f8f8f8',
      '--vscode-sideBarSectionHeader-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-list-focusOutline': '#005fb8',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-green': '#388a34',
      '--vscode-testing-iconPassed': '#388a34',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-disabledForeground': '#a5a5a5',
      '--vscode-sideBar-background': '#000000',
      '--vscode-sideBarSectionHeader-background': '#000000',
      '--vscode-sideBarSectionHeader-border': '#6fc3df',
      '--vscode-list-hoverBackground': 'transparent',
      '--vscode-list-activeSelectionBackground': 'transparent',
      '--vscode-list-inactiveSelectionBackground': 'transparent',
      '--vscode-list-focusOutline': '#f38518',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-charts-green': '#89d185',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f48771',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd700',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-textLink-activeForeground': '#21a6ff',
    },
  },
};
