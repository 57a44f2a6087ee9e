/**
 * The public key set of samples/jwt-server/key.pem (samples/jwt-server/jwks.json, compact), as the Go server embeds
 * its jwtKey: the bundle carries it, no file is read. jwks-server.test.ts holds it equal to the file.
 */
export const JWKS_TEXT = '{"keys":[{"kty":"RSA","n":"w3KgGN1aeRy0kvBvMHIJyp241ZUaS130gYBNYLyh4nP_FttjK7OcbT-xQZzh77OUH4KBuAHZaJwlxRoYToKjGIC6yY6cwZHPKkYsf1mo6M-qq4GH40WKr9jbvMWYIY_3cSlM__8mgs5TznL3wIIvbeREAen9F2_78OPJxIgbhhc5v0xvJSu0bTfzS12UEC1wZv1nK6EcPoPZrKvQx0ZOcE94IoDSaQww3l7d4C5flFupyZupnq_WoS77Sxnvuo3buF-hJKdmIzlrCT4ioyEvbHRU-MGoM0nPcpLL9IW2WEBx-g1aJo7KbIQcQvAYbiwdA1vU60Ka5_oKjxZFGqLGUw","e":"AQAB","kid":"RGcF9ZtDBYNdU_UifT2fzQ4nlsfxcHPPvbH43bckSgU"}]}';
