/**
 * A small product picture the service serves itself (`GET /assets/sample-product.png`), used as the
 * image of previews and test sends with example data — the templates' declared example URL points at
 * a shop that does not exist, which showed a broken image.
 */
export const SAMPLE_IMAGE_PATH = '/assets/sample-product.png';
