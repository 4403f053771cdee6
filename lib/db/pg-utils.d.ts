// node-postgres's escaping helpers, from the one module of the package that defines them: the
// package root would load the whole client (half a second at start on two cores), which the
// embedded mode never uses. @types/pg declares them only on the root.
declare module "pg/lib/utils" {
  const utils: {
    escapeLiteral(value: string): string;
    escapeIdentifier(value: string): string;
  };
  export default utils;
}
