"""The one write path of the networks app, one module per side of the work:

- ``ties``: relations, contacts, the ties a person names;
- ``imports``: network surveys and edge lists brought in (nominations reversed), deleting
  an import;
- ``changes``: the knowledge-mobilisation log;
- ``community``: online-community imports, the background read and the coding sample.

Every change is in the district's audit log, and so is every read of the whole network
and every download (``network_viewed``, ``network_downloaded``).
"""

AUDIT_KINDS = {
    "network_relation_added": "Network relation added",
    "network_relation_changed": "Network relation changed",
    "network_relation_deleted": "Network relation deleted",
    "network_contact_added": "Network contact added",
    "network_contact_changed": "Network contact changed",
    "network_contact_deleted": "Network contact deleted",
    "network_tie_named": "Network tie named",
    "network_tie_removed": "Network tie removed",
    "network_survey_imported": "Network survey brought into the network",
    "network_edges_imported": "Edge list imported into the network",
    "network_import_deleted": "Network import deleted",
    "network_viewed": "Whole network viewed",
    "network_downloaded": "Network data downloaded",
    "change_recorded": "Knowledge-mobilisation change recorded",
    "change_edited": "Knowledge-mobilisation change edited",
    "change_deleted": "Knowledge-mobilisation change deleted",
    "community_imported": "Online-community export imported",
    "community_deleted": "Online-community import deleted",
    "community_coded": "Online-community sample coded",
    "community_downloaded": "Online-community measures downloaded",
}
