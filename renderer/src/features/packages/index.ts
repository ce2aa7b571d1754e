/** What the packages feature offers the other features; they import it from here and nowhere else. */
export { ImportPackageDialog } from './ImportPackageDialog';
