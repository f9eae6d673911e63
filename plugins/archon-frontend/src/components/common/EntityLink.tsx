import { EntityRefLink } from '@backstage/plugin-catalog-react';

/** A link to the entity page when the catalog has an entity, the plain text otherwise. */
export const MaybeEntityLink = (props: { entityRef?: string; text: string }) =>
  props.entityRef ? (
    <EntityRefLink entityRef={props.entityRef} title={props.text} />
  ) : (
    <span>{props.text}</span>
  );
