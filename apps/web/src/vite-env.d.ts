/** Vite's `?url` imports: the URL the file is served from once built. */
declare module '*?url' {
  const url: string;
  export default url;
}
