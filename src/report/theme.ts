/**
 * The VS Code theme variables the panel reads, defined for the standalone report (outside VS Code
 * nobody sets them). Light by default; the webview switches the body class for dark/high contrast.
 */
export const REPORT_THEME_CSS = `
body {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, "Cascadia Code", "DejaVu Sans Mono", monospace;
  --vscode-foreground: #3b3b3b;
  --vscode-editor-foreground: #1f1f1f;
  --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #616161;
  --vscode-panel-border: #e5e5e5;
  --vscode-widget-border: #d4d4d4;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.16);
  --vscode-focusBorder: #005fb8;
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #388a34;
  --vscode-charts-yellow: #bf8803;
  --vscode-errorForeground: #e51400;
  --vscode-inputValidation-errorBackground: #f2dede;
  --vscode-progressBar-background: #0e70c0;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-checkbox-background: #f8f8f8;
  --vscode-checkbox-border: #cecece;
  --vscode-checkbox-foreground: #3b3b3b;
  --vscode-badge-background: #cccccc;
  --vscode-badge-foreground: #3b3b3b;
  --vscode-editor-selectionBackground: #add6ff;
  --vscode-editorHoverWidget-background: #f8f8f8;
  --vscode-editorHoverWidget-foreground: #3b3b3b;
  --vscode-editorHoverWidget-border: #c8c8c8;
}
body.vscode-dark {
  --vscode-foreground: #cccccc;
  --vscode-editor-foreground: #cccccc;
  --vscode-editor-background: #1f1f1f;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-panel-border: #2b2b2b;
  --vscode-widget-border: #3c3c3c;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.36);
  --vscode-focusBorder: #0078d4;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185;
  --vscode-charts-yellow: #cca700;
  --vscode-errorForeground: #f85149;
  --vscode-inputValidation-errorBackground: #5a1d1d;
  --vscode-progressBar-background: #0078d4;
  --vscode-button-background: #0078d4;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-checkbox-background: #313131;
  --vscode-checkbox-border: #3c3c3c;
  --vscode-checkbox-foreground: #cccccc;
  --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8;
  --vscode-editor-selectionBackground: #264f78;
  --vscode-editorHoverWidget-background: #202020;
  --vscode-editorHoverWidget-foreground: #cccccc;
  --vscode-editorHoverWidget-border: #454545;
}
body.vscode-high-contrast {
  --vscode-foreground: #ffffff;
  --vscode-editor-foreground: #ffffff;
  --vscode-editor-background: #000000;
  --vscode-descriptionForeground: #ffffff;
  --vscode-panel-border: #6fc3df;
  --vscode-widget-border: #6fc3df;
  --vscode-focusBorder: #f38518;
  --vscode-contrastBorder: #6fc3df;
  --vscode-contrastActiveBorder: #f38518;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-orange: #f38518;
  --vscode-charts-green: #89d185;
  --vscode-charts-yellow: #ffd700;
  --vscode-errorForeground: #f48771;
  --vscode-inputValidation-errorBackground: #000000;
  --vscode-progressBar-background: #6fc3df;
  --vscode-button-background: #000000;
  --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #000000;
  --vscode-button-secondaryForeground: #ffffff;
  --vscode-checkbox-background: #000000;
  --vscode-checkbox-border: #6fc3df;
  --vscode-checkbox-foreground: #ffffff;
  --vscode-badge-background: #000000;
  --vscode-badge-foreground: #ffffff;
  --vscode-editor-selectionBackground: #ffffff;
  --vscode-editorHoverWidget-background: #0c141f;
  --vscode-editorHoverWidget-foreground: #ffffff;
  --vscode-editorHoverWidget-border: #6fc3df;
}
`;
