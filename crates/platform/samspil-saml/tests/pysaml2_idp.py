#!/usr/bin/env python3
"""A real SAML identity provider (pysaml2) for the samspil-saml tests.

Reads our AuthnRequest from the HTTP-Redirect URL samspil built, checks it
the way an IdP does (pysaml2 parses and validates it against our SP
metadata), and answers with a signed OIOSAML 3 response for a fixed test
person, printed base64-encoded as the browser would POST it to our ACS.

Usage: pysaml2_idp.py REDIRECT_URL SP_METADATA_FILE IDP_KEY IDP_CERT IDP_ENTITY_ID sha256|sha1 [CVR]
CVR is the organisation the person logs in as (29189846 unless given).
The keys are the TEST-ONLY fixtures. Needs pysaml2 and the xmlsec1 program.
"""
import base64
import shutil
import sys
from urllib.parse import parse_qs, urlsplit

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

NAME_ID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent/0b9c2e1a"

PRIVILEGES = """<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">
    <Privilege>http://klik.dk/roles/KLIK-bruger</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:55133018">
    <Privilege>http://klik.dk/roles/KLIK-administrator</Privilege>
  </PrivilegeGroup>
</bpp:PrivilegeList>
"""


def main():
    redirect_url, sp_metadata, key, cert, entity_id, algorithm = sys.argv[1:7]
    cvr = sys.argv[7] if len(sys.argv) > 7 else "29189846"
    sign_alg, digest_alg = {
        "sha256": (SIG_RSA_SHA256, DIGEST_SHA256),
        "sha1": (SIG_RSA_SHA1, DIGEST_SHA1),
    }[algorithm]
    sso_url = redirect_url.split("?", 1)[0]
    config = IdPConfig()
    config.load({
        "entityid": entity_id,
        "key_file": key,
        "cert_file": cert,
        "xmlsec_binary": shutil.which("xmlsec1"),
        "metadata": {"local": [sp_metadata]},
        "service": {
            "idp": {
                "endpoints": {"single_sign_on_service": [(sso_url, BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "sign_assertion": True,
                "sign_response": False,
                "want_authn_requests_signed": False,
                "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
            }
        },
    })
    idp = Server(config=config)

    query = parse_qs(urlsplit(redirect_url).query)
    request = idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
    message = request.message
    sp_entity_id = message.issuer.text
    acs = idp.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
    assert message.assertion_consumer_service_url == acs, "the request names the ACS in our metadata"

    identity = {
        "https://data.gov.dk/model/core/specVersion": ["OIO-SAML-3.0"],
        "https://data.gov.dk/concept/core/nsis/loa": ["Substantial"],
        "https://data.gov.dk/model/core/eid/professional/cvr": [cvr],
        "https://data.gov.dk/model/core/eid/professional/uuid/persistent": [
            "urn:uuid:0b9c2e1a-1111-4222-8333-944455556666"
        ],
        "https://data.gov.dk/model/core/eid/email": ["bo.hansen@test-kommune.dk"],
        "https://data.gov.dk/model/core/eid/fullName": ["Bo Hansen"],
        "https://data.gov.dk/model/core/eid/privilegesIntermediate": [
            base64.b64encode(PRIVILEGES.encode()).decode()
        ],
    }
    response = idp.create_authn_response(
        identity,
        in_response_to=message.id,
        destination=acs,
        sp_entity_id=sp_entity_id,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=NAME_ID),
        userid=NAME_ID,
        authn={
            "class_ref": "https://data.gov.dk/concept/core/nsis/loa/Substantial",
            "authn_auth": entity_id,
        },
        sign_assertion=True,
        sign_response=False,
        sign_alg=sign_alg,
        digest_alg=digest_alg,
    )
    print(base64.b64encode(str(response).encode()).decode())


if __name__ == "__main__":
    main()
