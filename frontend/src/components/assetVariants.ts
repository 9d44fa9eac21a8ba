/** The variants a token must cover for an image view up to `largest` (and its placeholder). */
import type { Variant } from '@icp-private-assets/shared';
import { variantsUpTo, type ImageVariant } from '../images/variantForWidth';

export function tokenVariantsFor(largest: ImageVariant, withPlaceholder: boolean): Variant[] {
    return withPlaceholder ? [...variantsUpTo(largest), 'placeholder'] : variantsUpTo(largest);
}
