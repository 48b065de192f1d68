def test_home_page_renders(client, site_root):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Cyber risk news" in response.content
