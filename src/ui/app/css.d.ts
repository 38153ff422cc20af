/** Stylesheets imported for their effect: esbuild bundles them into the dashboard's one CSS file. */
declare module '*.css' {}
